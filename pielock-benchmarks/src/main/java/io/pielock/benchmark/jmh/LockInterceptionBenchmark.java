package io.pielock.benchmark.jmh;

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

import io.pielock.lock.LockHandle;
import io.pielock.lock.LockTemplate;

/**
 * What {@code @DistributedLocked} costs over calling {@link LockTemplate#lock(String)} directly, in memory.
 * <p>
 * Both sides run with lease renewal off ({@code pielock.lock.renew=false}). Renewal is the template's, the same with
 * or without the annotation, so it is no part of the interception; but each renewed hold schedules a task on the
 * renewal thread and its release cancels it, which now and then wakes that thread and makes the caller wait for
 * the executor's queue lock. On two busy cores that made whole iterations 10 to 40 times slower, on either side,
 * and the difference of the two means meaningless.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LockInterceptionBenchmark {

    private ConfigurableApplicationContext application;

    private LockTemplate locks;

    private GuardedCalls calls;

    private long value;

    /** Starts the application. */
    @Setup
    public void start() {
        this.application = InterceptionApplication.start("pielock.lock.renew=false");
        this.locks = this.application.getBean(LockTemplate.class);
        this.calls = this.application.getBean(GuardedCalls.class);
        if (this.locks.defaults().renew()) {
            throw new IllegalStateException("pielock.lock.renew=false did not reach the lock template");
        }
    }

    /** @return what the guarded code returned */
    @Benchmark
    public long direct() {
        LockHandle lock = this.locks.lock(GuardedCalls.KEY);
        try {
            return ++this.value;
        }
        finally {
            lock.close();
        }
    }

    /** @return what the annotated method returned */
    @Benchmark
    public long annotated() {
        return this.value = this.calls.locked(this.value);
    }

    /** Stops the application. */
    @TearDown
    public void stop() {
        this.application.close();
    }
}
