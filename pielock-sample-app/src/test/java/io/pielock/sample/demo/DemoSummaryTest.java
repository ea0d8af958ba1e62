package io.pielock.sample.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pielock.sample.store.Reservation;

import static org.assertj.core.api.Assertions.assertThat;

/** How the demo judges a run: what counts as overselling, and which exit status follows. */
class DemoSummaryTest {

    private static final DemoSettings TEN_UNITS = DemoSettings.from("--demo.units=10", "--demo.requests=20");

    @Test
    void everyUnitSoldOnceIsOk() {
        DemoSummary summary = summary(answers(10, 200, 10, 409), 0, reservations(10, 1));
        assertThat(summary.oversold()).isZero();
        assertThat(summary.exitCode()).isEqualTo(DemoSummary.EXIT_OK);
    }

    @Test
    void twoBuyersOfTheSameUnitAreAnOversellEvenWhenTheClientCountLooksRight() {
        // a lost update: units 10..2 sold, unit 5 twice, so one unit is still "in stock"
        List<Reservation> stored = reservations(10, 2);
        stored.add(new Reservation("demo", "user-x", 5, "8081/pid-1", 99));
        DemoSummary summary = summary(answers(10, 200, 10, 409), 1, stored);
        assertThat(summary.oversold()).isEqualTo(1);
        assertThat(summary.exitCode()).isEqualTo(DemoSummary.EXIT_OVERSOLD);
    }

    @Test
    void moreReservationsGrantedThanUnitsOnSaleAreAnOversell() {
        DemoSummary summary = summary(answers(12, 200, 8, 409), 0, reservations(10, 1));
        assertThat(summary.oversold()).isEqualTo(2);
        assertThat(summary.exitCode()).isEqualTo(DemoSummary.EXIT_OVERSOLD);
    }

    @Test
    void serverErrorsFailTheRun() {
        DemoSummary summary = summary(answers(10, 200, 9, 409, 1, 503), 0, reservations(10, 1));
        assertThat(summary.exitCode()).isEqualTo(DemoSummary.EXIT_FAILED);
    }

    @Test
    void requestsWithoutAnAnswerFailTheRun() {
        Tally tally = answers(10, 200, 9, 409);
        tally.failed(19, 1_000_000, new IllegalStateException("connection refused"));
        DemoSummary summary = summary(tally, 0, reservations(10, 1));
        assertThat(summary.exitCode()).isEqualTo(DemoSummary.EXIT_FAILED);
    }

    @Test
    void rateLimitedAnswersAreCountedOnTheirOwnLineAndDoNotFailTheRun() {
        DemoSummary summary = summary(answers(10, 200, 4, 409, 6, 429), 0, reservations(10, 1));
        assertThat(printed(summary)).containsPattern("reserved \\(200\\) +10\\R")
            .containsPattern("sold out \\(409\\) +4\\R")
            .containsPattern("rate limited \\(429\\) +6\\R")
            .doesNotContain("Too Many Requests");
        assertThat(summary.exitCode()).isEqualTo(DemoSummary.EXIT_OK);
    }

    @Test
    void noRateLimitedAnswersShowAsZero() {
        assertThat(printed(summary(answers(10, 200, 10, 409), 0, reservations(10, 1))))
            .containsPattern("rate limited \\(429\\) +0\\R");
    }

    @Test
    void otherAnswersAreListedWithTheirStatusAndDoNotFailTheRun() {
        DemoSummary summary = summary(answers(10, 200, 7, 409, 3, 404), 0, reservations(10, 1));
        assertThat(printed(summary)).containsPattern("404 Not Found +3\\R");
        assertThat(summary.exitCode()).isEqualTo(DemoSummary.EXIT_OK);
    }

    @Test
    void latencyPercentilesAreNearestRank() {
        Tally tally = new Tally(100);
        for (int i = 0; i < 100; i++) {
            tally.answered(i, 200, (i + 1) * 1_000_000L);
        }
        assertThat(tally.percentile(0.50)).isEqualTo(50_000_000L);
        assertThat(tally.percentile(0.99)).isEqualTo(99_000_000L);
    }

    private static String printed(DemoSummary summary) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        summary.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static DemoSummary summary(Tally tally, int stockLeft, List<Reservation> reservations) {
        return new DemoSummary(TEN_UNITS, tally, Duration.ofSeconds(1), stockLeft, reservations,
                "p50 0.4 ms, p99 2.0 ms");
    }

    /** @param countsAndStatuses pairs of (how many, status), in request order */
    private static Tally answers(int... countsAndStatuses) {
        Tally tally = new Tally(20);
        int request = 0;
        for (int i = 0; i < countsAndStatuses.length; i += 2) {
            for (int n = 0; n < countsAndStatuses[i]; n++) {
                tally.answered(request++, countsAndStatuses[i + 1], 1_000_000);
            }
        }
        return tally;
    }

    /** @return reservations of units {@code highest} down to {@code lowest}, mutable */
    private static List<Reservation> reservations(int highest, int lowest) {
        List<Reservation> reservations = new ArrayList<>();
        for (int unit = highest; unit >= lowest; unit--) {
            reservations.add(new Reservation("demo", "user-" + unit, unit, "8081/pid-1", unit));
        }
        return reservations;
    }
}
