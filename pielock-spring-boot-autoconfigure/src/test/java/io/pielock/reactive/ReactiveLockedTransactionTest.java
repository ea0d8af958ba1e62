package io.pielock.reactive;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.reactive.AbstractReactiveTransactionManager;
import org.springframework.transaction.reactive.GenericReactiveTransaction;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

import io.pielock.autoconfigure.PielockAutoConfiguration;
import io.pielock.lock.ReactiveLockTemplate;
import io.pielock.reactive.ReactiveLockedBeans.Guarded;
import io.pielock.test.NonBlocking;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A reactive {@code @DistributedLocked} method that joins a reactive transaction begun further out keeps the lock
 * until that transaction has completed (committed or rolled back), as the blocking path does, so no other holder
 * takes the lock and reads data not yet committed. On Redis, with BlockHound; the transaction manager is a minimal
 * {@link AbstractReactiveTransactionManager} that lets the test look at the lock when it commits.
 */
class ReactiveLockedTransactionTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
                PielockAutoConfiguration.class))
        .withPropertyValues(TestRedis.endpoint().springProperties())
        .withBean(Guarded.class);

    private final CommitHookTransactionManager transactions = new CommitHookTransactionManager();

    @BeforeAll
    static void blockHound() {
        NonBlocking.install();
    }

    @Test
    void joiningAnOuterReactiveTransactionKeepsTheLockUntilItCommits() {
        this.runner.run(context -> {
            String key = "reactive-tx:" + UUID.randomUUID();
            AtomicReference<Boolean> freeAfterTheMethod = new AtomicReference<>();
            AtomicReference<Boolean> freeAtCommit = new AtomicReference<>();
            this.transactions.atCommit = () -> free(context, key).doOnNext(freeAtCommit::set).then();

            Mono<Boolean> work = context.getBean(Guarded.class).mono(key, Mono.empty())
                .then(free(context, key))
                .doOnNext(freeAfterTheMethod::set);
            assertThat(TransactionalOperator.create(this.transactions).transactional(work)
                .block(Duration.ofSeconds(20))).isNotNull();

            assertThat(freeAfterTheMethod.get()).as("free once the method completed, inside the transaction")
                .isFalse();
            assertThat(freeAtCommit.get()).as("free while the transaction commits").isFalse();
            assertThat(this.transactions.commits).isEqualTo(1);
            AbstractReactiveLockedContractTest.awaitTrue(() -> free(context, key).block(), "released after commit");
        });
    }

    @Test
    void aRolledBackTransactionReleasesTheLockToo() {
        this.runner.run(context -> {
            String key = "reactive-tx-rollback:" + UUID.randomUUID();
            AtomicReference<Boolean> freeBeforeRollback = new AtomicReference<>();
            Mono<Object> work = context.getBean(Guarded.class).mono(key, Mono.empty())
                .then(free(context, key))
                .doOnNext(freeBeforeRollback::set)
                .then(Mono.error(new IllegalStateException("roll back")));
            assertThatThrownBy(() -> TransactionalOperator.create(this.transactions).transactional(work)
                .block(Duration.ofSeconds(20))).hasMessage("roll back");
            assertThat(freeBeforeRollback.get()).isFalse();
            assertThat(this.transactions.rollbacks).isEqualTo(1);
            AbstractReactiveLockedContractTest.awaitTrue(() -> free(context, key).block(), "released after rollback");
        });
    }

    @Test
    void withoutATransactionTheLockIsReleasedWhenTheResultCompletes() {
        this.runner.run(context -> {
            String key = "reactive-no-tx:" + UUID.randomUUID();
            assertThat(context.getBean(Guarded.class).mono(key, Mono.empty()).then(free(context, key))
                .block(Duration.ofSeconds(20))).isTrue();
        });
    }

    /**
     * @return whether another holder could take the key, looking a moment from now: a release hands the key's
     *         local gate on just after it completes (taking and releasing it if so)
     */
    private static Mono<Boolean> free(AssertableApplicationContext context, String key) {
        return Mono.delay(Duration.ofMillis(200)).then(context.getBean(ReactiveLockTemplate.class).tryAcquire(key))
            .flatMap(handle -> handle.release().thenReturn(true))
            .defaultIfEmpty(false);
    }

    /** A transaction manager with no resource: it only runs the synchronizations, and a hook at commit. */
    static final class CommitHookTransactionManager extends AbstractReactiveTransactionManager {

        volatile Supplier<Mono<Void>> atCommit = Mono::empty;

        volatile int commits;

        volatile int rollbacks;

        @Override
        protected Object doGetTransaction(TransactionSynchronizationManager synchronizationManager) {
            return new Object();
        }

        @Override
        protected Mono<Void> doBegin(TransactionSynchronizationManager synchronizationManager, Object transaction,
                TransactionDefinition definition) {
            return Mono.empty();
        }

        @Override
        protected Mono<Void> doCommit(TransactionSynchronizationManager synchronizationManager,
                GenericReactiveTransaction status) {
            return Mono.defer(() -> this.atCommit.get()).doOnSuccess(done -> this.commits++);
        }

        @Override
        protected Mono<Void> doRollback(TransactionSynchronizationManager synchronizationManager,
                GenericReactiveTransaction status) {
            return Mono.fromRunnable(() -> this.rollbacks++);
        }
    }
}
