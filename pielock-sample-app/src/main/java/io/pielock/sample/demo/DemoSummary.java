package io.pielock.sample.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;

import io.pielock.sample.store.Reservation;

/**
 * What a load run shows: the answers counted by the client, checked against the state the shop ended in.
 * Overselling is counted two ways, and the larger wins: reservations the shop stored beyond the stock it
 * gave up (a lost update: two buyers read the same level), and reservations the client was granted beyond the
 * units on sale. Rate-limited answers (429: a buyer over the quota) are expected, like sold-out ones: they
 * show the quota at work and do not fail the run.
 * @param settings what was run
 * @param tally the answers
 * @param elapsed how long the requests took
 * @param stockLeft the item's stock afterwards
 * @param reservations the item's reservations afterwards
 * @param lockWait the lock wait percentiles the instances measured ({@link LockWaitMetrics}), or why there are none
 */
record DemoSummary(DemoSettings settings, Tally tally, Duration elapsed, int stockLeft,
        List<Reservation> reservations, String lockWait) {

    /** Every unit sold at most once, every request answered. */
    static final int EXIT_OK = 0;

    /** More units sold than were on sale. */
    static final int EXIT_OVERSOLD = 1;

    /** Requests failed, an instance answered 5xx, or the demo could not run. */
    static final int EXIT_FAILED = 2;

    long reserved() {
        return this.tally.count(200);
    }

    long soldOut() {
        return this.tally.count(409);
    }

    long rateLimited() {
        return this.tally.count(429);
    }

    /** @return answers other than 200, 409 and 429, by status */
    Map<Integer, Long> otherAnswers() {
        Map<Integer, Long> others = new TreeMap<>(this.tally.statuses());
        others.remove(200);
        others.remove(409);
        others.remove(429);
        return others;
    }

    long oversold() {
        long lostUpdates = this.reservations.size() + (long) this.stockLeft - this.settings.units();
        long overGranted = reserved() - this.settings.units();
        return Math.max(0, Math.max(lostUpdates, overGranted));
    }

    int exitCode() {
        if (oversold() > 0) {
            return EXIT_OVERSOLD;
        }
        boolean serverErrors = otherAnswers().keySet().stream().anyMatch(status -> status >= 500);
        return (this.tally.failures() > 0 || serverErrors) ? EXIT_FAILED : EXIT_OK;
    }

    void print(PrintStream out) {
        double seconds = this.elapsed.toNanos() / 1e9;
        out.printf("Summary (%.1f s, %.0f requests/s):%n", seconds, this.tally.requests() / Math.max(seconds, 1e-3));
        line(out, "reserved (200)", Long.toString(reserved()));
        line(out, "sold out (409)", Long.toString(soldOut()));
        line(out, "rate limited (429)", Long.toString(rateLimited()));
        otherAnswers().forEach((status, count) -> line(out, status + " " + reason(status), Long.toString(count)));
        line(out, "failed requests", this.tally.failures() + (this.tally.failures() > 0
                ? " (first: " + this.tally.firstFailure() + ")" : ""));
        line(out, "stock left", Integer.toString(this.stockLeft));
        line(out, "reservations stored", this.reservations.size() + byInstance());
        line(out, "oversold", Long.toString(oversold()));
        line(out, "latency", String.format("p50 %.1f ms, p99 %.1f ms", this.tally.percentile(0.50) / 1e6,
                this.tally.percentile(0.99) / 1e6));
        line(out, "lock wait (metrics)", this.lockWait);
        out.println(verdict());
    }

    private String byInstance() {
        Map<String, Long> counts = this.reservations.stream()
            .collect(Collectors.groupingBy(Reservation::instance, TreeMap::new, Collectors.counting()));
        return counts.isEmpty() ? "" : counts.entrySet().stream()
            .map(entry -> "instance " + entry.getKey() + ": " + entry.getValue())
            .collect(Collectors.joining(", ", " (", ")"));
    }

    private String verdict() {
        return switch (exitCode()) {
            case EXIT_OK -> "OK: no unit was sold twice.";
            case EXIT_OVERSOLD -> "OVERSOLD: " + oversold() + " more unit(s) sold than were on sale.";
            default -> "FAILED: some requests got no answer or a server error; see above.";
        };
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf("  %-22s %s%n", label, value);
    }

    private static String reason(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "" : known.getReasonPhrase();
    }
}
