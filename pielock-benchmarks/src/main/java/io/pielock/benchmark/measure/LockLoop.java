package io.pielock.benchmark.measure;

import java.util.concurrent.locks.LockSupport;

import io.pielock.benchmark.contender.HeldLock;
import io.pielock.benchmark.contender.LockClient;

/**
 * One thread's work in a lock scenario: lock, run the critical section, unlock, until the end time, recording
 * four timestamps per cycle (lock called, lock returned, unlock called, unlock returned). Failures are counted,
 * never retried silently.
 */
public final class LockLoop implements Runnable {

    private final LockClient client;

    private final String key;

    private final CriticalSection section;

    private final long startAt;

    private final long endAt;

    private final int holder;

    private final LockCycles cycles = new LockCycles();

    private long errors;

    private String firstError;

    /**
     * @param client the client to lock through
     * @param key the lock's name
     * @param section what to run while holding it
     * @param startAt {@link System#nanoTime()} to start at, so that all threads start together
     * @param endAt {@link System#nanoTime()} after which no new cycle starts
     * @param holder this thread's id in the recorded cycles
     */
    public LockLoop(LockClient client, String key, CriticalSection section, long startAt, long endAt, int holder) {
        this.client = client;
        this.key = key;
        this.section = section;
        this.startAt = startAt;
        this.endAt = endAt;
        this.holder = holder;
    }

    @Override
    public void run() {
        Clock.parkUntil(this.startAt);
        // at least one cycle, however late this thread got going: every contender is exercised
        do {
            long called = System.nanoTime();
            HeldLock held;
            try {
                held = this.client.lock(this.key);
            }
            catch (RuntimeException ex) {
                fail("lock", ex);
                continue;
            }
            long acquired = System.nanoTime();
            this.section.run();
            long releasing = System.nanoTime();
            try {
                held.unlock();
            }
            catch (RuntimeException ex) {
                fail("unlock", ex);
            }
            this.cycles.add(this.holder, called, acquired, releasing, System.nanoTime());
        }
        while (System.nanoTime() < this.endAt);
    }

    private void fail(String operation, RuntimeException ex) {
        this.errors++;
        if (this.firstError == null) {
            this.firstError = operation + " of " + this.key + " failed: " + ex;
        }
        // a failing store must not turn the loop into a busy spin
        LockSupport.parkNanos(1_000_000);
    }

    /** @return the cycles it completed */
    public LockCycles cycles() {
        return this.cycles;
    }

    /** @return how many lock or unlock calls threw */
    public long errors() {
        return this.errors;
    }

    /** @return the first failure, or null */
    public String firstError() {
        return this.firstError;
    }
}
