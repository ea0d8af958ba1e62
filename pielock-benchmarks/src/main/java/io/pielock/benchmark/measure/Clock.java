package io.pielock.benchmark.measure;

import java.util.concurrent.locks.LockSupport;

/**
 * The one clock of every measurement: {@link System#nanoTime()}, which on Linux is {@code CLOCK_MONOTONIC} and so
 * comparable between processes on one machine (the four-client scenario relies on it).
 */
public final class Clock {

    private Clock() {
    }

    /** @param nanoTime a {@link System#nanoTime()} to sleep until */
    public static void parkUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /**
     * @param millis how far from now
     * @return the {@link System#nanoTime()} that far ahead
     */
    public static long inMillis(long millis) {
        return System.nanoTime() + millis * 1_000_000;
    }
}
