package io.pielock.limiter;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;

/**
 * What a limiter that fails open does when its store cannot be reached, shared by {@link Limiter} and
 * {@link ReactiveLimiter}: allow the call unchecked, count it, report it to the observer, and warn at most once
 * every {@link #WARNING_INTERVAL}.
 */
final class FailOpen {

    /** How often, at most, failing open is logged. */
    static final Duration WARNING_INTERVAL = Duration.ofSeconds(10);

    private final Log logger;

    private final LongAdder count = new LongAdder();

    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARNING_INTERVAL.toNanos());

    /** @param logger where the warnings go (the limiter's own) */
    FailOpen(Log logger) {
        this.logger = logger;
    }

    /**
     * @param current the key the store could not decide
     * @param ex the store's error
     * @param observed the decision in progress
     * @return the call, allowed unchecked
     */
    LimitResult allowUnchecked(KeyedLimits current, Throwable ex, LimiterObserver.Decision observed) {
        this.count.increment();
        observed.failedOpen(ex);
        warnAtMostEveryInterval(current.key(), ex);
        return LimitResult.allowedUnchecked(current.key(), current.limits().get(0));
    }

    /** @return how many calls were allowed unchecked */
    long count() {
        return this.count.sum();
    }

    private void warnAtMostEveryInterval(String key, Throwable ex) {
        long now = System.nanoTime();
        long last = this.lastWarning.get();
        if (now - last >= WARNING_INTERVAL.toNanos() && this.lastWarning.compareAndSet(last, now)) {
            this.logger.warn("Rate limit store unreachable: allowing calls without a check (fail-open), " + count()
                    + " so far; latest key: " + key + ". Next warning in " + WARNING_INTERVAL.toSeconds()
                    + "s at the earliest", ex);
        }
    }
}
