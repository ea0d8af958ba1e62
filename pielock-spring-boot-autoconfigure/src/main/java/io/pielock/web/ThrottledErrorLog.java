package io.pielock.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;

/**
 * Logs one kind of error at most once every interval, counting the ones it leaves out and saying how many in the
 * next: a misconfigured rule fails every request it matches, and one line per request would flood the log.
 */
final class ThrottledErrorLog {

    /** How often, at most, one rule's errors are logged. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Log logger;

    private final long intervalNanos;

    private final AtomicLong lastLogged;

    private final AtomicLong suppressed = new AtomicLong();

    ThrottledErrorLog(Log logger, Duration interval) {
        this.logger = logger;
        this.intervalNanos = interval.toNanos();
        this.lastLogged = new AtomicLong(System.nanoTime() - this.intervalNanos);
    }

    /** Logs the message at ERROR, unless one was logged less than the interval ago; then only counts it. */
    void error(String message) {
        long now = System.nanoTime();
        long last = this.lastLogged.get();
        if (now - last >= this.intervalNanos && this.lastLogged.compareAndSet(last, now)) {
            long left = this.suppressed.getAndSet(0);
            this.logger.error(message + ((left > 0) ? " [" + left + " more like it not logged since the last"
                    + " report]" : "") + "; next report of this rule in " + describe() + " at the earliest");
        }
        else {
            this.suppressed.incrementAndGet();
        }
    }

    private String describe() {
        long millis = Duration.ofNanos(this.intervalNanos).toMillis();
        return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
    }
}
