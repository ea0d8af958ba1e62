package io.pielock.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Twenty processes on one Redis (each its own store and connections): one pair contends on one lock while the
 * eighteen others have waited for locks of their own before. Counts the messages about the contended lock each
 * process hears, to show that a release reaches only the processes that wait for that lock.
 */
final class ReleaseAudience {

    private static final int PROCESSES = 20;

    private ReleaseAudience() {
    }

    /**
     * @param stores creates one process's store (tracked for closing by the caller)
     * @param key the contended lock's name; the others use names derived from it
     * @param subscribers how many subscribers the release channel of a lock name has now, in Redis
     */
    static void onlyTheWaitersHearAContendedLocksReleases(Function<Integer, LockStore> stores, String key,
            Function<String, Long> subscribers) throws Exception {
        List<AtomicInteger> heard = new ArrayList<>();
        List<LockTemplate> processes = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            LockStore store = stores.apply(i);
            AtomicInteger count = new AtomicInteger();
            store.addReleaseListener(released -> {
                if (released.equals(key)) {
                    count.incrementAndGet();
                }
            });
            // a release that passes the lock to a waiter tells it by a grant, which goes to grant listeners
            store.addGrantListener((granted, token, fencingToken, lease) -> {
                if (granted.equals(key)) {
                    count.incrementAndGet();
                }
            });
            heard.add(count);
            processes.add(new LockTemplate(store, LockOptions.defaults().withRetryAfter(Duration.ofSeconds(30))));
        }
        LockTemplate holder = processes.get(0);
        LockTemplate waiter = processes.get(1);
        // the eighteen bystanders each wait once for a lock of their own, so each has subscribed to something
        for (int i = 2; i < PROCESSES; i++) {
            String own = key + ":own:" + i;
            LockHandle held = holder.lock(own);
            LockTemplate bystander = processes.get(i);
            CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> bystander.run(own, () -> { }));
            Thread.sleep(50);
            held.close();
            waited.get(30, TimeUnit.SECONDS);
        }
        int handovers = 50;
        for (int i = 0; i < handovers; i++) {
            LockHandle held = holder.lock(key);
            CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> waiter.run(key, () -> { }));
            while (subscribers.apply(key) == 0) {
                Thread.sleep(1);
            }
            Thread.sleep(2);
            held.close();
            waited.get(30, TimeUnit.SECONDS);
        }
        assertThat(heard.get(1).get()).as("the waiter heard the releases it waited for").isPositive();
        for (int i = 2; i < PROCESSES; i++) {
            assertThat(heard.get(i).get()).as("bystander %d, which waits for nothing now", i).isZero();
        }
        assertThat(subscribers.apply(key + ":own:2")).as("a bystander still listening to its old lock").isLessThanOrEqualTo(1L);
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((subscribers.apply(key) > 0 || subscribers.apply(key + ":own:2") > 0) && System.nanoTime() < giveUp) {
            Thread.sleep(100);
        }
        assertThat(subscribers.apply(key)).as("unsubscribed a while after the last wait").isZero();
        assertThat(subscribers.apply(key + ":own:2")).isZero();
        for (LockTemplate process : processes) {
            process.close();
        }
    }
}
