package io.pielock.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/** Runs many calls from many threads at once, for tests: all threads start together. */
public final class ConcurrentRequests {

    private ConcurrentRequests() {
    }

    /**
     * @param threads how many threads
     * @param calls how many calls in all
     * @param call call number {@code i}, returning its outcome (e.g. an HTTP status)
     * @param <T> the outcome's type
     * @return the outcomes, in call order
     */
    public static <T> List<T> run(int threads, int calls, IntFunction<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int number = i;
                futures.add(pool.submit((Callable<T>) () -> {
                    start.await();
                    return call.apply(number);
                }));
            }
            start.countDown();
            List<T> outcomes = new ArrayList<>();
            for (Future<T> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        }
        finally {
            pool.shutdownNow();
        }
    }

    /**
     * @param outcomes outcomes of {@link #run}
     * @param <T> their type
     * @return how often each occurred
     */
    public static <T> Map<T, Long> count(List<T> outcomes) {
        return outcomes.stream().collect(Collectors.groupingBy(outcome -> outcome, Collectors.counting()));
    }
}
