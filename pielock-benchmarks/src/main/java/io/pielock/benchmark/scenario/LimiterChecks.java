package io.pielock.benchmark.scenario;

import io.pielock.benchmark.contender.AdmissionPromise;
import io.pielock.benchmark.contender.RateLimit;
import io.pielock.benchmark.measure.Admissions;
import io.pielock.benchmark.measure.LimiterCalls;

/** The correctness checks every rate limit measurement makes. */
final class LimiterChecks {

    private LimiterChecks() {
    }

    /**
     * Over-admission beyond what the contender promises, and failed decisions. Records
     * {@link Metric#MOST_CERTAIN}, what the promise is checked against.
     * @param measurement where violations go
     * @param calls every call of the measurement
     * @param limit the limit of every key
     * @param promise what the contender promises
     */
    static void keptPromise(Measurement measurement, LimiterCalls calls, RateLimit limit, AdmissionPromise promise) {
        long most = calls.admissions().mostCertainlyWithin(limit.window());
        long allowed = promise.windows() * limit.count();
        measurement.put(Metric.MOST_CERTAIN, (double) most / limit.count());
        measurement.violationIf(most > allowed, "admitted " + most + " calls of one key within less than "
                + limit.window().minus(Admissions.TOLERANCE).toMillis() + " ms, over its promise of " + allowed
                + " (" + promise.basis() + ", limit " + limit + ")");
        measurement.violationIf(calls.errors() > 0, calls.errors() + " decisions failed; first: "
                + calls.firstError());
    }
}
