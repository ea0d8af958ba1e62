package io.pielock.lock;

import java.lang.reflect.Method;

/**
 * Thrown when a lock could not be had: {@link LockTemplate#lock(String)}, {@code execute}, {@code run}, and
 * {@code @DistributedLocked} methods without a fallback. The message names the key, the method (when the lock
 * was taken for an annotated method) and the {@linkplain #getReason() reason}; when the store was unreachable
 * the connection error is the {@linkplain #getCause() cause}.
 */
public class LockAcquisitionException extends RuntimeException {

    /** Why a lock was not acquired. */
    public enum Reason {
        /** The wait ran out: another process held the lock for the whole {@code timeout}. */
        TIMEOUT("timed out waiting for the holder to release it"),
        /**
         * Every one of {@code tries} attempts, spaced by {@code retryAfter}, found the lock held (by another
         * thread of this JVM or another process).
         */
        TRIES_EXHAUSTED("every try found it held"),
        /** One attempt ({@code timeout} zero) found the lock held. */
        HELD_ELSEWHERE("it is held by another process"),
        /** The store (Redis) could not be reached; see the cause. */
        STORE_UNAVAILABLE("the lock store could not be reached"),
        /** The waiting thread was interrupted. */
        INTERRUPTED("the waiting thread was interrupted"),
        /** This thread already held the lock, but its lease had been lost. */
        LEASE_LOST("this thread's earlier hold on it lost its lease"),
        /** This thread already holds the lock, and the acquisition was not reentrant ({@code reentrant = false}). */
        ALREADY_HELD("this thread already holds it and the acquisition is not reentrant");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        /** @return a short phrase saying why */
        public String description() {
            return this.description;
        }
    }

    private final String key;

    private final Reason reason;

    private final Method method;

    private final String detail;

    /**
     * @param key the lock's name
     * @param reason why it was not acquired
     * @param cause the store's error, or {@code null}
     */
    public LockAcquisitionException(String key, Reason reason, Throwable cause) {
        this(key, reason, (String) null, cause);
    }

    /**
     * @param key the lock's name
     * @param reason why it was not acquired
     * @param detail what the message adds to the reason, for example how long it waited and what sets that, or
     *        {@code null}
     * @param cause the store's error, or {@code null}
     */
    public LockAcquisitionException(String key, Reason reason, String detail, Throwable cause) {
        this(key, reason, null, detail, cause);
    }

    private LockAcquisitionException(String key, Reason reason, Method method, String detail, Throwable cause) {
        super(message(key, reason, method, detail, cause), cause);
        this.key = key;
        this.reason = reason;
        this.method = method;
        this.detail = detail;
    }

    /**
     * A copy that also names the annotated method the lock was for.
     * @param method the annotated method
     * @return a new exception with the same key, reason and cause
     */
    public LockAcquisitionException forMethod(Method method) {
        LockAcquisitionException copy = new LockAcquisitionException(this.key, this.reason, method, this.detail,
                getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /** @return the lock's name */
    public String getKey() {
        return this.key;
    }

    /** @return why the lock was not acquired */
    public Reason getReason() {
        return this.reason;
    }

    /** @return the annotated method the lock was for, or {@code null} for programmatic use */
    public Method getMethod() {
        return this.method;
    }

    /**
     * A wait that ran out while store calls failed (the cause is the last failure) does not blame the holder:
     * for example, acquisitions that replicas did not acknowledge ({@code min-replicas-acked}).
     */
    private static String describe(Reason reason, Throwable cause) {
        if (cause instanceof RuntimeException && reason == Reason.TIMEOUT) {
            return "timed out while attempts to acquire it failed in the lock store";
        }
        if (cause instanceof RuntimeException && reason == Reason.TRIES_EXHAUSTED) {
            return "every try failed in the lock store or found it held";
        }
        if (cause instanceof RuntimeException && reason == Reason.HELD_ELSEWHERE) {
            return "attempts failed in the lock store or found it held";
        }
        return reason.description();
    }

    private static String message(String key, Reason reason, Method method, String detail, Throwable cause) {
        StringBuilder text = new StringBuilder("Could not acquire lock '").append(key).append("'");
        if (method != null) {
            text.append(" for ").append(method.getDeclaringClass().getSimpleName()).append('.')
                .append(method.getName()).append("()");
        }
        text.append(": ").append(describe(reason, cause));
        if (detail != null) {
            text.append(" (").append(detail).append(')');
        }
        if (cause != null) {
            text.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage())
                .append(')');
        }
        return text.toString();
    }
}
