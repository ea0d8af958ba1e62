package io.pielock.benchmark.measure;

import java.util.concurrent.ThreadLocalRandom;

import io.pielock.benchmark.contender.LimiterClient;

/** One thread's work in a rate limit scenario: decisions on keys picked at random, as fast as they come back. */
public final class LimiterLoop implements Runnable {

    private final LimiterClient client;

    private final String[] keys;

    private final long startAt;

    private final long endAt;

    private final LimiterCalls calls;

    /**
     * @param client the limiter
     * @param keys the keys to pick from (one, for a hot key)
     * @param startAt {@link Clock} time to start at, so that all threads start together
     * @param measureFrom start of the measured interval
     * @param endAt end of the measured interval, after which no call starts
     */
    public LimiterLoop(LimiterClient client, String[] keys, long startAt, long measureFrom, long endAt) {
        this.client = client;
        this.keys = keys;
        this.startAt = startAt;
        this.endAt = endAt;
        this.calls = new LimiterCalls(measureFrom, endAt);
    }

    @Override
    public void run() {
        Clock.parkUntil(this.startAt);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // at least one decision, however late this thread got going: every contender is exercised
        do {
            this.calls.decide(this.client, this.keys, (this.keys.length == 1) ? 0 : random.nextInt(this.keys.length));
        }
        while (System.nanoTime() < this.endAt);
    }

    /** @return what it recorded */
    public LimiterCalls calls() {
        return this.calls;
    }
}
