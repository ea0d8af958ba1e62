package io.pielock.limiter;

import java.time.Duration;

/**
 * The windows of the original pie-lock's {@code Limiter.allow(key, per=TimeUnit.SECOND, count=2)}: a limit of
 * {@code count} calls per unit. Each unit is a fixed {@link Duration}; calendar lengths play no part, so
 * {@link #MONTH} is always 30 days.
 */
public enum TimeUnit {

    /** One second. */
    SECOND(Duration.ofSeconds(1)),

    /** One minute. */
    MINUTE(Duration.ofMinutes(1)),

    /** One hour. */
    HOUR(Duration.ofHours(1)),

    /** One day: 24 hours. */
    DAY(Duration.ofDays(1)),

    /** One week: 7 days. */
    WEEK(Duration.ofDays(7)),

    /** 30 days, whatever the calendar month (a sliding window has no calendar). */
    MONTH(Duration.ofDays(30));

    private final Duration duration;

    TimeUnit(Duration duration) {
        this.duration = duration;
    }

    /** @return how long the unit is */
    public Duration duration() {
        return this.duration;
    }
}
