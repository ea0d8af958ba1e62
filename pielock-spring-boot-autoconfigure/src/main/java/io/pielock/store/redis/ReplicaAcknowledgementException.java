package io.pielock.store.redis;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Fewer replicas than {@code pielock.lock.min-replicas-acked} acknowledged an acquisition in time. The lock
 * was released again, so it is not held; {@code LockTemplate} reports this as the store being unavailable
 * (this exception is the cause), never as contention.
 */
public class ReplicaAcknowledgementException extends DataAccessResourceFailureException {

    /**
     * @param key the lock's name
     * @param acknowledged how many replicas acknowledged
     * @param required how many were required
     * @param waitedMillis how long Redis waited for them
     */
    public ReplicaAcknowledgementException(String key, long acknowledged, int required, long waitedMillis) {
        super("Lock key: " + key + " was acknowledged by " + acknowledged + " of " + required
                + " replicas within " + waitedMillis + " ms, short of pielock.lock.min-replicas-acked=" + required
                + "; it was released again, not acquired");
    }
}
