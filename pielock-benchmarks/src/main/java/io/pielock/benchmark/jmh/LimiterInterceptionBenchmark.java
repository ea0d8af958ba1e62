package io.pielock.benchmark.jmh;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.context.ConfigurableApplicationContext;

import io.pielock.limiter.Limiter;

/** What {@code @RateLimited} costs over calling {@link Limiter#allow} directly, in memory. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LimiterInterceptionBenchmark {

    private static final Duration WINDOW = Duration.ofMillis(1);

    private ConfigurableApplicationContext application;

    private Limiter limiter;

    private GuardedCalls calls;

    private long value;

    /** Starts the application. */
    @Setup
    public void start() {
        this.application = InterceptionApplication.start();
        this.limiter = this.application.getBean(Limiter.class);
        this.calls = this.application.getBean(GuardedCalls.class);
    }

    /** @return what the admitted code returned */
    @Benchmark
    public long direct() {
        if (!this.limiter.allow(GuardedCalls.KEY, WINDOW, GuardedCalls.COUNT).allowed()) {
            throw new IllegalStateException("The benchmark's limit denied a call; it must always admit");
        }
        return ++this.value;
    }

    /** @return what the annotated method returned */
    @Benchmark
    public long annotated() {
        return this.value = this.calls.limited(this.value);
    }

    /** Stops the application. */
    @TearDown
    public void stop() {
        this.application.close();
    }
}
