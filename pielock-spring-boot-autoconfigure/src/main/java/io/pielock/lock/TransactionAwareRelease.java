package io.pielock.lock;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * Releases a handle now, or, when the code ran inside a transaction that began further out, once that
 * transaction has completed, so no other process can take the lock and read data not yet committed.
 */
final class TransactionAwareRelease {

    private static final boolean TX_PRESENT = ClassUtils.isPresent(
            "org.springframework.transaction.support.TransactionSynchronizationManager",
            TransactionAwareRelease.class.getClassLoader());

    private TransactionAwareRelease() {
    }

    static void release(LockHandle handle) {
        if (TX_PRESENT && Synchronizations.defer(handle)) {
            return;
        }
        handle.close();
    }

    private static final class Synchronizations {

        static boolean defer(LockHandle handle) {
            if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                return false;
            }
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    handle.close();
                }
            });
            return true;
        }
    }
}
