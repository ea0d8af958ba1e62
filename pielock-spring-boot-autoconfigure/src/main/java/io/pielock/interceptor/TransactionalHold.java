package io.pielock.interceptor;

import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;
import reactor.core.publisher.Mono;

import io.pielock.lock.LockOptions;
import io.pielock.lock.ReactiveLockTemplate;

/**
 * The reactive side of the lock's transaction ordering: when a {@code @DistributedLocked} reactive method joins a
 * reactive transaction that began further out (a {@code TransactionalOperator} or an outer {@code @Transactional}
 * method, found in the subscriber's Reactor {@code Context}), the lock must stay held until that transaction has
 * completed, so no other process takes it and reads data not yet committed; the blocking path does the same with
 * {@code TransactionSynchronizationManager}.
 * <p>
 * Within the guarded chain this takes one more, reentrant, level of the hold the chain already has (reentrancy
 * follows the Context) and releases it from the transaction's {@code afterCompletion}; the template still releases
 * its own level when the method's result completes, so the lock itself goes when both are done. Without Spring's
 * transaction support, or outside a transaction, it does nothing.
 */
final class TransactionalHold {

    private static final boolean TX_PRESENT = ClassUtils.isPresent(
            "org.springframework.transaction.reactive.TransactionSynchronizationManager",
            TransactionalHold.class.getClassLoader());

    private TransactionalHold() {
    }

    /**
     * @param template the template whose hold the chain has
     * @param key the held key
     * @param options the hold's options
     * @return completes once the hold is extended to the surrounding transaction, or at once if there is none
     */
    static Mono<Void> untilCompletion(ReactiveLockTemplate template, String key, LockOptions options) {
        return TX_PRESENT ? Synchronizations.extend(template, key, options) : Mono.empty();
    }

    private static final class Synchronizations {

        static Mono<Void> extend(ReactiveLockTemplate template, String key, LockOptions options) {
            return TransactionSynchronizationManager.forCurrentTransaction()
                .onErrorResume(NoTransactionException.class, ex -> Mono.empty())
                .filter(TransactionSynchronizationManager::isSynchronizationActive)
                .flatMap(transaction -> template.lock(key, options.withReentrant(true))
                    .doOnNext(extra -> transaction.registerSynchronization(new TransactionSynchronization() {
                        @Override
                        public Mono<Void> afterCompletion(int status) {
                            return extra.release().then();
                        }
                    })))
                .then();
        }
    }
}
