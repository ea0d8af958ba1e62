package io.pielock.sample.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.springframework.scheduling.support.CronExpression;

/**
 * Names each run of a cron job by the scheduled time it belongs to (its slot), the same on every instance
 * whatever each scheduler's lag: the fire time nearest to when the run started.
 */
final class ReportSlots {

    /** How far back to look for the previous fire time: past a year, a cron expression never fires. */
    private static final Duration MAX_LOOK_BACK = Duration.ofDays(366);

    private final CronExpression cron;

    /** @param cron a Spring cron expression, evaluated in UTC */
    ReportSlots(String cron) {
        this.cron = CronExpression.parse(cron);
    }

    /**
     * @param now when the run started
     * @return the fire time nearest to {@code now}
     */
    Instant slotOf(Instant now) {
        ZonedDateTime at = now.atZone(ZoneOffset.UTC);
        ZonedDateTime next = this.cron.next(at);
        ZonedDateTime previous = previousOrSame(at);
        if (previous == null) {
            return next.toInstant();
        }
        if (next == null || Duration.between(previous, at).compareTo(Duration.between(at, next)) <= 0) {
            return previous.toInstant();
        }
        return next.toInstant();
    }

    /** CronExpression only looks forward: look back in growing steps, then walk forward to the last fire. */
    private ZonedDateTime previousOrSame(ZonedDateTime at) {
        for (Duration back = Duration.ofSeconds(1); back.compareTo(MAX_LOOK_BACK) <= 0; back = back.multipliedBy(2)) {
            ZonedDateTime fire = this.cron.next(at.minus(back));
            if (fire != null && !fire.isAfter(at)) {
                for (ZonedDateTime later = this.cron.next(fire); later != null && !later.isAfter(at);
                        later = this.cron.next(later)) {
                    fire = later;
                }
                return fire;
            }
        }
        return null;
    }
}
