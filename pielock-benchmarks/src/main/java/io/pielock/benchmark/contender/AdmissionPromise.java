package io.pielock.benchmark.contender;

/**
 * What a rate limiter promises about the calls it admits, so the benchmark can tell a violation from the
 * algorithm's known slack: at most {@code windows × count} admitted calls in any interval shorter than the window.
 * @param windows how many windows' worth of calls any one window may admit (1 for an exact sliding window,
 *        2 for a fixed window or a token bucket whose burst equals its refill per window)
 * @param basis why, in a few words, for the report
 */
public record AdmissionPromise(int windows, String basis) {

    /**
     * @param windows how many windows' worth of calls one window may admit
     * @param basis why, in a few words
     */
    public AdmissionPromise {
        if (windows < 1) {
            throw new IllegalArgumentException("windows must be at least 1, but was " + windows);
        }
    }
}
