package io.pielock.benchmark.jmh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import io.pielock.limiter.RateLimitExceededException;

/** Runs the interception benchmarks through JMH's runner and returns their scores. */
public final class InterceptionBenchmarks {

    private InterceptionBenchmarks() {
    }

    /**
     * The heap of every fork, fixed so that no fork resizes it while measured (JMH would otherwise pass on the
     * harness's own JVM arguments).
     */
    private static final String[] FORK_JVM_ARGS = { "-Xms1g", "-Xmx1g" };

    /**
     * One benchmark's score over all forks' measured iterations: JMH's mean with its confidence interval, and the
     * median iteration with a distribution-free confidence interval, which one iteration disturbed by the machine's
     * other load cannot move far.
     * @param benchmark the benchmark class's simple name
     * @param method {@code direct} or {@code annotated}
     * @param nanosPerCall JMH's score: the mean time per call over all measured iterations
     * @param error JMH's 99.9% confidence half-width of the mean (NaN with a single iteration)
     * @param iterations every measured iteration's mean time per call, all forks, in order
     */
    public record Score(String benchmark, String method, double nanosPerCall, double error, double[] iterations) {

        /** Confidence of {@link #medianLow()} to {@link #medianHigh()}. */
        public static final double MEDIAN_CONFIDENCE = 0.99;

        /** @return the median iteration */
        public double median() {
            double[] sorted = sorted();
            int middle = sorted.length / 2;
            return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }

        /** @return the lower end of the median's {@value #MEDIAN_CONFIDENCE} confidence interval (order statistics) */
        public double medianLow() {
            double[] sorted = sorted();
            return sorted[rank(sorted.length) - 1];
        }

        /** @return the upper end of the median's {@value #MEDIAN_CONFIDENCE} confidence interval (order statistics) */
        public double medianHigh() {
            double[] sorted = sorted();
            return sorted[sorted.length - rank(sorted.length)];
        }

        private double[] sorted() {
            double[] sorted = this.iterations.clone();
            Arrays.sort(sorted);
            return sorted;
        }

        /**
         * The rank k (1-based) such that the k-th smallest and k-th largest of n samples bracket the median with at
         * least {@link #MEDIAN_CONFIDENCE}: the largest k with P(Binomial(n, 1/2) &lt; k) &le; (1 - confidence) / 2,
         * or 1 (the whole range) when n is too small for that.
         */
        static int rank(int n) {
            double tail = (1 - MEDIAN_CONFIDENCE) / 2;
            double cumulative = 0;
            int k = 0;
            for (int below = 0; below < n; below++) {
                cumulative += binomialHalf(n, below); // P(fewer than below + 1 samples under the median)
                if (cumulative > tail) {
                    break;
                }
                k = below + 1;
            }
            return Math.max(1, Math.min(k, (n + 1) / 2));
        }

        private static double binomialHalf(int n, int i) {
            double logChoose = 0;
            for (int j = 1; j <= i; j++) {
                logChoose += Math.log(n - i + j) - Math.log(j);
            }
            return Math.exp(logChoose - n * Math.log(2));
        }
    }

    /**
     * @param warmups warm-up iterations per fork
     * @param warmup length of one warm-up iteration
     * @param iterations measurement iterations per fork
     * @param iteration length of one measurement iteration
     * @param forks JMH forks, each a fresh JVM; 0 runs in this JVM
     * @return the scores, in JMH's order
     * @throws RunnerException if JMH fails
     */
    public static List<Score> run(int warmups, Duration warmup, int iterations, Duration iteration, int forks)
            throws RunnerException {
        proveInterception();
        Options options = new OptionsBuilder().include(LockInterceptionBenchmark.class.getName())
            .include(LimiterInterceptionBenchmark.class.getName())
            .forks(forks)
            .jvmArgs(FORK_JVM_ARGS)
            .warmupIterations(warmups)
            .warmupTime(TimeValue.milliseconds(warmup.toMillis()))
            .measurementIterations(iterations)
            .measurementTime(TimeValue.milliseconds(iteration.toMillis()))
            .threads(1)
            .shouldFailOnError(true)
            .build();
        Collection<RunResult> results = new Runner(options).run();
        List<Score> scores = new ArrayList<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            String[] parts = label.split("\\.");
            Result<?> primary = result.getPrimaryResult();
            double[] measured = result.getBenchmarkResults().stream()
                .flatMap(fork -> fork.getIterationResults().stream())
                .mapToDouble(measuredIteration -> measuredIteration.getPrimaryResult().getScore())
                .toArray();
            scores.add(new Score(parts[parts.length - 2], parts[parts.length - 1], primary.getScore(),
                    primary.getScoreError(), measured));
        }
        return scores;
    }

    /** Benchmarks cannot tell a method that is not intercepted; this makes sure both advices run. */
    static void proveInterception() {
        try (var application = InterceptionApplication.start()) {
            GuardedCalls calls = application.getBean(GuardedCalls.class);
            if (!"interception-check".equals(calls.heldLockKey())) {
                throw new IllegalStateException("@DistributedLocked did not hold a lock around the call");
            }
            calls.oncePerMinute();
            try {
                calls.oncePerMinute();
                throw new IllegalStateException("@RateLimited(count = 1, per = MINUTE) admitted a second call");
            }
            catch (RateLimitExceededException expected) {
                // the advice counted the first call
            }
        }
    }
}
