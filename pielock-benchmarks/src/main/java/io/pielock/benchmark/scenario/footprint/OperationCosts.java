package io.pielock.benchmark.scenario.footprint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.benchmark.contender.BootConnectionFactory;
import io.pielock.benchmark.contender.RedisEndpoint;
import io.pielock.benchmark.measure.CommandStats;
import io.pielock.benchmark.measure.Parallel;
import io.pielock.benchmark.measure.RedisAdmin;
import io.pielock.limiter.Algorithm;
import io.pielock.limiter.Limit;
import io.pielock.limiter.Limiter;
import io.pielock.lock.LockAttempt;
import io.pielock.lock.LockTemplate;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.store.redis.RedisRateLimitStore;

/**
 * Footprint part 1: what each pielock operation costs Redis. Each kind of operation runs {@code operations}
 * times over a few threads, through the real {@link RedisLockStore}, {@link LockTemplate},
 * {@link RedisRateLimitStore} and {@link Limiter} on a Boot-style Lettuce connection factory, after a warm-up
 * that loads the scripts; {@code INFO commandstats} and {@code INFO cpu} are read just before and just after.
 */
public final class OperationCosts {

    /** Commands the harness itself sends while it measures. */
    static final Set<String> HARNESS_COMMANDS = Set.of("info");

    /** The lease of the locks held while they are measured: long enough to outlast the measurement. */
    private static final Duration LEASE = Duration.ofSeconds(60);

    /** How many locks are contended at once in the contended-release measurement. */
    private static final int CONTENDED_BATCH = 1_000;

    private final RedisEndpoint endpoint;

    private final RedisAdmin redis;

    private final int operations;

    private final int threads;

    private final Consumer<String> log;

    /**
     * @param endpoint where Redis listens
     * @param redis to read its counters
     * @param operations how many of each operation (a multiple of 1,000 for the contended release)
     * @param threads how many threads make them
     * @param log where progress lines go
     */
    public OperationCosts(RedisEndpoint endpoint, RedisAdmin redis, int operations, int threads,
            Consumer<String> log) {
        this.endpoint = endpoint;
        this.redis = redis;
        this.operations = operations;
        this.threads = threads;
        this.log = log;
    }

    /**
     * @return one cost per operation: acquire, renew, release (nobody waiting), release with a waiter, a whole
     *         {@link LockTemplate} cycle, and a limiter decision by sliding window and by GCRA
     * @throws Exception if Redis cannot be reached or an operation fails
     */
    public List<OperationCost> measure() throws Exception {
        List<OperationCost> costs = new ArrayList<>();
        RedisKeys keys = new RedisKeys("pielock:");
        LettuceConnectionFactory factory = BootConnectionFactory.connect(this.endpoint);
        RedisLockStore store = new RedisLockStore(factory, keys);
        try (LockTemplate template = new LockTemplate(store)) {
            Limiter limiter = new Limiter(new RedisRateLimitStore(factory, keys));
            Limit sliding = Limit.of(100, Duration.ofMinutes(1));
            Limit gcra = new Limit(100, Duration.ofMinutes(1), Algorithm.GCRA);
            warmUp(store, template, limiter, sliding, gcra);
            this.redis.flushAll();

            int n = this.operations;
            String[] names = names("fp-op-", n);
            String[] tokens = tokens(n);
            costs.add(measure("lock acquire, free lock", "`RedisLockStore.tryAcquire(key, token, lease)`", n,
                    i -> require(store.tryAcquire(names[i], tokens[i], LEASE).acquired(), "acquire", names[i])));
            costs.add(measure("lock renew", "`RedisLockStore.renew(key, token, lease)`", n,
                    i -> require(store.renew(names[i], tokens[i], LEASE), "renew", names[i])));
            costs.add(measure("lock release, nobody waiting", "`RedisLockStore.release(key, token)`", n,
                    i -> require(store.release(names[i], tokens[i]), "release", names[i])));
            costs.add(contendedRelease(store, keys));
            String[] cycled = names("fp-cycle-", Math.min(n, 2_000));
            costs.add(measure("lock cycle (acquire + release), free lock",
                    "`LockTemplate.lock(key)` then `LockHandle.close()`, default options", n,
                    i -> template.lock(cycled[i % cycled.length]).close()));
            String[] limitKeys = names("fp-limit-", Math.max(1, n / 20));
            AtomicLong denied = new AtomicLong();
            costs.add(measure("limiter decision, sliding window (exact), 100/min",
                    "`Limiter.allow(key, List.of(Limit.of(100, 1 min)))`, " + limitKeys.length + " keys", n, i -> {
                        if (!limiter.allow(limitKeys[i % limitKeys.length], List.of(sliding)).allowed()) {
                            denied.incrementAndGet();
                        }
                    }));
            costs.add(measure("limiter decision, GCRA, 100/min",
                    "`Limiter.allow(key, List.of(Limit.of(100, 1 min, GCRA)))`, " + limitKeys.length + " keys", n,
                    i -> {
                        if (!limiter.allow(limitKeys[i % limitKeys.length], List.of(gcra)).allowed()) {
                            denied.incrementAndGet();
                        }
                    }));
            if (denied.get() > 0) {
                throw new IllegalStateException(denied + " limiter decisions denied; every one should be allowed");
            }
        }
        finally {
            store.destroy();
            factory.destroy();
            this.redis.flushAll();
        }
        return costs;
    }

    /**
     * Releases of locks that a waiter in another process (another store on its own connection factory, subscribed
     * to the locks' release channels) waits for: in batches, the holder acquires the locks, the waiter fails to
     * acquire them (queueing for them), and only the holder's releases are measured, each of which passes its lock
     * to the waiter and tells it so; the waiter then lets them go, unmeasured. The waiter is stopped before the
     * next measurement, so that its unsubscriptions are not counted there.
     */
    private OperationCost contendedRelease(RedisLockStore holder, RedisKeys keys) throws Exception {
        LettuceConnectionFactory waiterFactory = BootConnectionFactory.connect(this.endpoint);
        RedisLockStore waiter = new RedisLockStore(waiterFactory, keys);
        int batch = Math.min(CONTENDED_BATCH, this.operations);
        String[] names = names("fp-hot-", batch);
        AtomicLong heard = new AtomicLong();
        waiter.addReleaseListener(name -> heard.incrementAndGet());
        waiter.addGrantListener((name, token, fencingToken, lease) -> heard.incrementAndGet());
        for (String name : names) {
            waiter.awaitReleases(name, Duration.ofSeconds(2));
        }
        CommandStats total = new CommandStats(Map.of());
        long cpu = 0;
        long nanos = 0;
        int measured = 0;
        try {
            for (int round = 0; measured + batch <= this.operations; round++) {
                String[] tokens = tokens(batch);
                Parallel.run("fp-hot-acquire", this.threads, batch, i -> require(
                        holder.tryAcquire(names[i], tokens[i], LEASE).acquired(), "acquire", names[i]));
                Parallel.run("fp-hot-wait", this.threads, batch, i -> require(
                        !waiter.tryAcquire(names[i], "waiter", LEASE, Duration.ofSeconds(1)).acquired(), "mark",
                        names[i]));
                CommandStats before = this.redis.commandStats();
                long cpuBefore = this.redis.cpuMicros();
                long started = System.nanoTime();
                Parallel.run("fp-hot-release", this.threads, batch,
                        i -> require(holder.release(names[i], tokens[i]), "release", names[i]));
                nanos += System.nanoTime() - started;
                cpu += this.redis.cpuMicros() - cpuBefore;
                total = total.plus(this.redis.commandStats().since(before, HARNESS_COMMANDS));
                measured += batch;
                // each release passed its lock to the waiter (it waited longest): it lets go, unmeasured
                Parallel.run("fp-hot-unlock", this.threads, batch,
                        i -> require(waiter.release(names[i], "waiter"), "release passed lock", names[i]));
            }
            awaitCount(heard, measured, Duration.ofSeconds(5));
        }
        finally {
            for (String name : names) {
                waiter.stopAwaitingReleases(name);
            }
            waiter.destroy();
            waiterFactory.destroy();
            // whatever the waiter's connections still send on their way out
            Thread.sleep(500);
        }
        OperationCost cost = new OperationCost("lock release, one waiter (another process, subscribed)",
                "`RedisLockStore.release(key, token)` after another store's "
                        + "`tryAcquire(key, token, lease, retryWithin)` queued for the lock: the release passes it on",
                measured, this.threads, total, cpu, Duration.ofNanos(nanos));
        logged(cost);
        this.log.accept(String.format("  (the waiter heard %,d of %,d releases)", heard.get(), measured));
        return cost;
    }

    private OperationCost measure(String operation, String driver, int count, IntConsumer work)
            throws InterruptedException {
        CommandStats before = this.redis.commandStats();
        long cpuBefore = this.redis.cpuMicros();
        long started = System.nanoTime();
        Parallel.run("fp-ops", this.threads, count, work);
        long nanos = System.nanoTime() - started;
        long cpu = this.redis.cpuMicros() - cpuBefore;
        CommandStats commands = this.redis.commandStats().since(before, HARNESS_COMMANDS);
        OperationCost cost = new OperationCost(operation, driver, count, this.threads, commands, cpu,
                Duration.ofNanos(nanos));
        logged(cost);
        return cost;
    }

    private void logged(OperationCost cost) {
        this.log.accept(String.format("  %s: %.2f commands, %.1f us in scripts, %.1f us CPU per operation",
                cost.operation(), cost.commandsPerOperation(), cost.scriptUsecPerOperation(),
                cost.cpuUsecPerOperation()));
    }

    /** Loads every script and connects every connection, so that the measurements see neither. */
    private static void warmUp(RedisLockStore store, LockTemplate template, Limiter limiter, Limit sliding,
            Limit gcra) {
        for (int i = 0; i < 200; i++) {
            String name = "fp-warm-" + i;
            store.tryAcquire(name, "holder", LEASE);
            store.renew(name, "holder", LEASE);
            store.tryAcquire(name, "waiter", LEASE, Duration.ofMillis(10));
            store.release(name, "holder"); // passes it to the waiter
            store.release(name, "waiter");
            template.lock(name).close();
            limiter.allow(name, List.of(sliding));
            limiter.allow(name, List.of(gcra));
        }
    }

    static String[] names(String prefix, int count) {
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = prefix + i;
        }
        return names;
    }

    /** Owner tokens shaped as {@code LockTemplate} makes them: a random process id, a colon, a random number. */
    static String[] tokens(int count) {
        String process = Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
        String[] tokens = new String[count];
        for (int i = 0; i < count; i++) {
            tokens[i] = process + Long.toHexString(ThreadLocalRandom.current().nextLong());
        }
        return tokens;
    }

    static void require(boolean done, String what, String name) {
        if (!done) {
            throw new IllegalStateException("Could not " + what + " lock " + name);
        }
    }

    static void awaitCount(AtomicLong counter, long expected, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (counter.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
