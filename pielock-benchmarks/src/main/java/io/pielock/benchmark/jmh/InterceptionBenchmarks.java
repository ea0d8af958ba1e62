package io.pielock.benchmark.jmh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

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
     * One benchmark's score.
     * @param benchmark the benchmark class's simple name
     * @param method {@code direct} or {@code annotated}
     * @param nanosPerCall mean time per call
     * @param error JMH's 99.9% confidence half-width (NaN with a single iteration)
     */
    public record Score(String benchmark, String method, double nanosPerCall, double error) {
    }

    /**
     * @param iterations warm-up and measurement iterations each
     * @param iteration length of one iteration
     * @param forks JMH forks; 0 runs in this JVM
     * @return the scores, in JMH's order
     * @throws RunnerException if JMH fails
     */
    public static List<Score> run(int iterations, Duration iteration, int forks) throws RunnerException {
        proveInterception();
        TimeValue time = TimeValue.milliseconds(iteration.toMillis());
        Options options = new OptionsBuilder().include(LockInterceptionBenchmark.class.getName())
            .include(LimiterInterceptionBenchmark.class.getName())
            .forks(forks)
            .warmupIterations(iterations)
            .warmupTime(time)
            .measurementIterations(iterations)
            .measurementTime(time)
            .threads(1)
            .shouldFailOnError(true)
            .build();
        Collection<RunResult> results = new Runner(options).run();
        List<Score> scores = new ArrayList<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            String[] parts = label.split("\\.");
            scores.add(new Score(parts[parts.length - 2], parts[parts.length - 1],
                    result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError()));
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
