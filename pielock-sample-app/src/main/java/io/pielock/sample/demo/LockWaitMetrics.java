package io.pielock.sample.demo;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The lock wait the shop itself measured: the p50 and p99 of pielock's {@code pielock.lock.acquire}
 * observations of {@code ReservationService.reserve} that acquired the lock, read from each instance's {@code /actuator/prometheus} (the sample app
 * publishes those two percentiles: {@code management.metrics.distribution.percentiles} in its
 * {@code application.yml}). Of several instances, the highest of each.
 */
final class LockWaitMetrics {

    static final String SERIES = "pielock_lock_acquire_seconds";

    static final String METHOD = "ReservationService.reserve";

    private LockWaitMetrics() {
    }

    /**
     * @param client the demo's client
     * @param targets the instances
     * @return a summary line's value, for example {@code "p50 0.4 ms, p99 12.0 ms"}, or why there is none
     */
    static String read(ShopClient client, List<URI> targets) {
        OptionalDouble p50 = OptionalDouble.empty();
        OptionalDouble p99 = OptionalDouble.empty();
        for (URI target : targets) {
            HttpResponse<String> scrape;
            try {
                scrape = client.send("GET", target, "/actuator/prometheus");
            }
            catch (RuntimeException ex) {
                return "not available (" + ex.getMessage() + ")";
            }
            if (scrape.statusCode() != 200) {
                return "not available (/actuator/prometheus answered " + scrape.statusCode() + ")";
            }
            p50 = max(p50, quantile(scrape.body(), "0.5"));
            p99 = max(p99, quantile(scrape.body(), "0.99"));
        }
        if (p50.isEmpty() || p99.isEmpty()) {
            return "not available (no " + SERIES + " quantiles: no lock acquired yet?)";
        }
        return String.format("p50 %.1f ms, p99 %.1f ms (%s, %s, acquired)", p50.getAsDouble() * 1e3,
                p99.getAsDouble() * 1e3, SERIES, METHOD);
    }

    /** @return the highest value of the series' acquired {@code quantile} lines in a Prometheus text scrape */
    static OptionalDouble quantile(String scrape, String quantile) {
        return scrape.lines()
            .filter(line -> line.startsWith(SERIES + "{") && line.contains("quantile=\"" + quantile + "\"")
                    && line.contains("outcome=\"acquired\"") && line.contains("name=\"" + METHOD + "\""))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .max();
    }

    private static OptionalDouble max(OptionalDouble a, OptionalDouble b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() ? a : OptionalDouble.of(Math.max(a.getAsDouble(), b.getAsDouble()));
    }
}
