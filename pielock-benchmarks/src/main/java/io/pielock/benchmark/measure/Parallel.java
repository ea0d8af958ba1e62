package io.pielock.benchmark.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/** Runs {@code count} numbered operations spread over a few threads, each thread taking every n-th number. */
public final class Parallel {

    private Parallel() {
    }

    /**
     * @param name prefix of the threads' names
     * @param threads how many threads
     * @param count how many operations, numbered from 0
     * @param operation one operation; thread {@code t} runs numbers {@code t, t + threads, ...}
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if an operation threw (the first failure, after all threads stopped)
     */
    public static void run(String name, int threads, int count, IntConsumer operation) throws InterruptedException {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Runnable> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            workers.add(() -> {
                try {
                    for (int i = first; i < count && failure.get() == null; i += threads) {
                        operation.accept(i);
                    }
                }
                catch (RuntimeException ex) {
                    failure.compareAndSet(null, ex);
                }
            });
        }
        Threads.runAll(name, workers);
        if (failure.get() != null) {
            throw new IllegalStateException(name + " failed: " + failure.get(), failure.get());
        }
    }
}
