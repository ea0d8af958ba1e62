package io.pielock.benchmark.scenario.footprint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.benchmark.contender.BootConnectionFactory;
import io.pielock.benchmark.contender.RedisEndpoint;
import io.pielock.benchmark.measure.RedisAdmin;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;

/**
 * Footprint part 3: who hears a release. Independent {@link RedisLockStore}s, each on its own connection
 * factory as separate application instances would be: one holds a contended lock and releases it again and again;
 * one waits for it (subscribed to its release channel, marking it with each failed attempt); every other store
 * waits for a lock of its own, held and never released meanwhile, so it is subscribed too, to another channel.
 * Every store's release and grant listeners count the messages it hears.
 */
public final class ReleaseFanOut {

    private static final Duration LEASE = Duration.ofSeconds(60);

    private final RedisEndpoint endpoint;

    private final RedisAdmin redis;

    private final Consumer<String> log;

    /**
     * @param endpoint where Redis listens
     * @param redis to read its counters
     * @param log where progress lines go
     */
    public ReleaseFanOut(RedisEndpoint endpoint, RedisAdmin redis, Consumer<String> log) {
        this.endpoint = endpoint;
        this.redis = redis;
        this.log = log;
    }

    /**
     * @param stores how many stores: at least 2 (the holder and the waiter)
     * @param releases how many releases of the contended lock
     * @return where the releases were delivered
     * @throws Exception if Redis cannot be reached or a call fails
     */
    public FanOut measure(int stores, int releases) throws Exception {
        RedisKeys keys = new RedisKeys("pielock:");
        List<LettuceConnectionFactory> factories = new ArrayList<>();
        List<RedisLockStore> all = new ArrayList<>();
        List<AtomicLong> heard = new ArrayList<>();
        String hot = "fp-fanout-" + stores;
        try {
            for (int i = 0; i < stores; i++) {
                LettuceConnectionFactory factory = BootConnectionFactory.connect(this.endpoint);
                factories.add(factory);
                RedisLockStore store = new RedisLockStore(factory, keys);
                all.add(store);
                AtomicLong count = new AtomicLong();
                heard.add(count);
                store.addReleaseListener(name -> {
                    if (name.equals(hot)) {
                        count.incrementAndGet();
                    }
                });
                // a release that passes the lock to a waiter tells it by a grant, which goes to grant listeners
                store.addGrantListener((name, token, fencingToken, lease) -> {
                    if (name.equals(hot)) {
                        count.incrementAndGet();
                    }
                });
            }
            RedisLockStore holder = all.get(0);
            RedisLockStore waiter = all.get(1);
            for (int i = 2; i < stores; i++) {
                // each other store waits for a lock of its own that stays held
                String own = "fp-fanout-other-" + i;
                OperationCosts.require(holder.tryAcquire(own, "holder", LEASE).acquired(), "acquire", own);
                OperationCosts.require(!all.get(i).tryAcquire(own, "other", LEASE, Duration.ofSeconds(1))
                    .acquired(), "mark", own);
                all.get(i).awaitReleases(own, Duration.ofSeconds(2));
            }
            waiter.awaitReleases(hot, Duration.ofSeconds(2));
            // one release first, unmeasured: the channel is live and scripts are loaded
            cycle(holder, waiter, hot);
            OperationCosts.awaitCount(heard.get(1), 1, Duration.ofSeconds(2));
            heard.forEach(count -> count.set(0));
            long channels = Long.parseLong(this.redis.info("stats", "pubsub_channels"));
            long publishesBefore = this.redis.commandStats().calls("publish");
            for (int i = 0; i < releases; i++) {
                cycle(holder, waiter, hot);
            }
            long publishes = this.redis.commandStats().calls("publish") - publishesBefore;
            OperationCosts.awaitCount(heard.get(1), releases, Duration.ofSeconds(5));
            Thread.sleep(200); // anything else that was going to arrive
            long others = 0;
            for (int i = 2; i < stores; i++) {
                others += heard.get(i).get();
            }
            FanOut fanOut = new FanOut(stores, releases, publishes, heard.get(1).get(), heard.get(0).get(), others,
                    channels);
            this.log.accept(String.format("  %d stores: %,d releases, %,d PUBLISH, waiter heard %,d, holder %,d, "
                    + "the %d others %,d; %d channels subscribed", stores, releases, publishes, fanOut.toWaiter(),
                    fanOut.toHolder(), fanOut.others(), others, channels));
            for (int i = 2; i < stores; i++) {
                all.get(i).stopAwaitingReleases("fp-fanout-other-" + i);
            }
            waiter.stopAwaitingReleases(hot);
            return fanOut;
        }
        finally {
            for (RedisLockStore store : all) {
                store.destroy();
            }
            factories.forEach(LettuceConnectionFactory::destroy);
            this.redis.flushAll();
        }
    }

    /**
     * The holder takes the lock, the waiter fails to (queueing for it), the holder releases it (passing it to the
     * waiter and announcing that), the waiter releases it (nobody waits: no announcement).
     */
    private static void cycle(RedisLockStore holder, RedisLockStore waiter, String hot) {
        OperationCosts.require(holder.tryAcquire(hot, "holder", LEASE).acquired(), "acquire", hot);
        OperationCosts.require(!waiter.tryAcquire(hot, "waiter", LEASE, Duration.ofSeconds(1)).acquired(), "mark",
                hot);
        OperationCosts.require(holder.release(hot, "holder"), "release", hot);
        OperationCosts.require(waiter.release(hot, "waiter"), "release passed lock", hot);
    }
}
