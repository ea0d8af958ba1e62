package io.pielock.limiter;

import java.util.List;

/**
 * What a {@link Limiter} (or a {@link ReactiveLimiter}) tells about its decisions, for metrics and traces: the one seam between the limiter and
 * instrumentation. It knows no metrics library, so the limiter runs without one; pielock's Micrometer
 * implementation is {@code io.pielock.observation.LimiterObservations}, installed by the auto-configuration when
 * Micrometer is present. Set one with {@link Limiter#setObserver(LimiterObserver)}.
 * <p>
 * {@link #NONE} (the limiter's default) returns a shared do-nothing object: without an observer, the hot path
 * allocates nothing.
 */
public interface LimiterObserver {

    /** Observes nothing; the limiter's default. */
    LimiterObserver NONE = (store, keys, name) -> Decision.NONE;

    /**
     * One decision begins (one per {@code allow} or annotated call, whatever the number of keys and limits).
     * @param store where calls are counted
     * @param keys the keys with their limits (keys may carry user data: never a metric tag)
     * @param name what is limited: the annotated method ({@code ClassName.method}), or the name given to
     *        {@code allow}, {@link Limiter#PROGRAMMATIC} by default
     * @return what the limiter reports the decision's end to
     */
    Decision decisionStarted(RateLimitStore store, List<KeyedLimits> keys, String name);

    /**
     * One decision of a {@link ReactiveLimiter} begins; as {@link #decisionStarted(RateLimitStore, List, String)}.
     * Its end may be reported on another thread than its start. pielock's Micrometer observer reports both kinds
     * alike; an observer that does not override this method observes no reactive decision (it was written before
     * there were any).
     * @param store where calls are counted
     * @param keys the keys with their limits (keys may carry user data: never a metric tag)
     * @param name what is limited: the annotated method ({@code ClassName.method}), or the name given to
     *        {@code allow}, {@link Limiter#PROGRAMMATIC} by default
     * @return what the limiter reports the decision's end to; {@link Decision#NONE} by default
     */
    default Decision decisionStarted(ReactiveRateLimitStore store, List<KeyedLimits> keys, String name) {
        return Decision.NONE;
    }

    /** One decision in progress; exactly one of its methods is called, once. */
    interface Decision {

        /** Reports nothing. */
        Decision NONE = new Decision() {

            @Override
            public void allowed() {
            }

            @Override
            public void denied() {
            }

            @Override
            public void failedOpen(Throwable cause) {
            }

            @Override
            public void unavailable(Throwable cause) {
            }
        };

        /** Every limit admitted the call; it has been counted. */
        void allowed();

        /** A limit was exceeded; the call was counted by none. */
        void denied();

        /**
         * The store could not be reached and the limiter fails open: the call is allowed unchecked.
         * @param cause the store's error
         */
        void failedOpen(Throwable cause);

        /**
         * The store could not be reached and the limiter fails closed: the call is denied with a
         * {@link LimiterUnavailableException}.
         * @param cause the store's error
         */
        void unavailable(Throwable cause);
    }
}
