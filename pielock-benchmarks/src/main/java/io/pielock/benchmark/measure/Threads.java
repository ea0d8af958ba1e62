package io.pielock.benchmark.measure;

import java.util.ArrayList;
import java.util.List;

/** Runs workers on their own platform threads and waits for all of them. */
public final class Threads {

    private Threads() {
    }

    /**
     * @param name prefix of the threads' names (thread dumps of a stuck run say which scenario it was)
     * @param workers what each thread runs
     * @throws InterruptedException if interrupted while waiting
     */
    public static void runAll(String name, List<? extends Runnable> workers) throws InterruptedException {
        List<Thread> threads = new ArrayList<>(workers.size());
        for (int i = 0; i < workers.size(); i++) {
            Thread thread = new Thread(workers.get(i), name + "-" + i);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
