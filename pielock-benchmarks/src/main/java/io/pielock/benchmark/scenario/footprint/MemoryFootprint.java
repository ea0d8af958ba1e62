package io.pielock.benchmark.scenario.footprint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.benchmark.contender.BootConnectionFactory;
import io.pielock.benchmark.contender.RedisEndpoint;
import io.pielock.benchmark.measure.Parallel;
import io.pielock.benchmark.measure.RedisAdmin;
import io.pielock.limiter.Algorithm;
import io.pielock.limiter.Limit;
import io.pielock.limiter.Limiter;
import io.pielock.lock.LockHandle;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockTemplate;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.store.redis.RedisRateLimitStore;

/**
 * Footprint part 2: Redis memory per held lock, per released lock name once its lease has passed, and per
 * limiter key. Each starts from an empty Redis ({@code FLUSHALL}) whose {@code used_memory} has settled, and
 * divides the growth of {@code used_memory} by the number of items; {@code MEMORY USAGE} of the keys of a sample
 * of items gives the same from the keys' side.
 */
public final class MemoryFootprint {

    private static final Duration HELD_LEASE = Duration.ofMinutes(5);

    private static final int SAMPLE = 100;

    private final RedisEndpoint endpoint;

    private final RedisAdmin redis;

    private final int threads;

    private final Consumer<String> log;

    /**
     * @param endpoint where Redis listens
     * @param redis to read its memory
     * @param threads how many threads make the calls
     * @param log where progress lines go
     */
    public MemoryFootprint(RedisEndpoint endpoint, RedisAdmin redis, int threads, Consumer<String> log) {
        this.endpoint = endpoint;
        this.redis = redis;
        this.threads = threads;
        this.log = log;
    }

    /**
     * @param heldLocks how many locks to hold at once
     * @param releasedNames how many distinct names to acquire and release with a short lease
     * @param shortLease that lease
     * @param limiterKeys how many limiter keys to fill, per algorithm
     * @param callsPerKey how many calls each gets (the limit is this many per minute)
     * @return the figures: held lock, released name (while the lease lasts and after), sliding window key, GCRA key
     * @throws Exception if Redis cannot be reached or a call fails
     */
    public List<BytesFigure> measure(int heldLocks, int releasedNames, Duration shortLease, int limiterKeys,
            int callsPerKey) throws Exception {
        List<BytesFigure> figures = new ArrayList<>();
        RedisKeys keys = new RedisKeys("pielock:");
        LettuceConnectionFactory factory = BootConnectionFactory.connect(this.endpoint);
        RedisLockStore store = new RedisLockStore(factory, keys);
        try (LockTemplate template = new LockTemplate(store)) {
            Limiter limiter = new Limiter(new RedisRateLimitStore(factory, keys));
            Limit sliding = Limit.of(callsPerKey, Duration.ofMinutes(1));
            Limit gcra = new Limit(callsPerKey, Duration.ofMinutes(1), Algorithm.GCRA);
            // scripts loaded and the connection made before any baseline
            template.lock("fp-warm").close();
            limiter.allow("fp-warm", List.of(sliding));
            limiter.allow("fp-warm", List.of(gcra));

            figures.add(heldLocks(template, keys, heldLocks));
            figures.addAll(releasedNames(template, keys, releasedNames, shortLease));
            figures.add(limiterKeys(limiter, keys, sliding, "sliding window (exact)", limiterKeys, callsPerKey));
            figures.add(limiterKeys(limiter, keys, gcra, "GCRA", limiterKeys, callsPerKey));
        }
        finally {
            store.destroy();
            factory.destroy();
            this.redis.flushAll();
        }
        return figures;
    }

    private BytesFigure heldLocks(LockTemplate template, RedisKeys keys, int count) throws Exception {
        String[] names = OperationCosts.names("fp-held-", count);
        LockHandle[] handles = new LockHandle[count];
        LockOptions options = template.defaults().withExpires(HELD_LEASE).withRenew(false);
        long before = baseline();
        Parallel.run("fp-held", this.threads, count, i -> handles[i] = template.lock(names[i], options));
        long used = this.redis.usedMemory() - before;
        long dbSize = this.redis.dbSize();
        double sampled = 0;
        for (int i = 0; i < SAMPLE; i++) {
            sampled += this.redis.memoryUsage(keys.lock(names[i])) + this.redis.memoryUsage(keys.fence(names[i]));
        }
        Parallel.run("fp-held-release", this.threads, count, i -> handles[i].close());
        BytesFigure figure = new BytesFigure("held lock", "`LockTemplate.lock(key)`, lease "
                + HELD_LEASE.toMinutes() + " min, held", count, (double) used / count, sampled / SAMPLE,
                (double) dbSize / count, "while held: the lock key (owner token, lease) and its fencing counter");
        report(figure);
        return figure;
    }

    private List<BytesFigure> releasedNames(LockTemplate template, RedisKeys keys, int count, Duration lease) throws Exception {
        String[] names = OperationCosts.names("fp-released-", count);
        LockOptions options = template.defaults().withExpires(lease).withRenew(false);
        long expiredBefore = expiredKeys();
        long before = baseline();
        long started = System.nanoTime();
        Parallel.run("fp-released", this.threads, count, i -> template.lock(names[i], options).close());
        long lastRelease = System.nanoTime();
        long usedAtOnce = this.redis.usedMemory() - before;
        long keysAtOnce = this.redis.dbSize();
        // the names released last still have their fencing counter
        double sampled = 0;
        int alive = 0;
        for (int i = count - 1; i >= Math.max(0, count - SAMPLE); i--) {
            long usage = this.redis.memoryUsage(keys.fence(names[i]));
            if (usage > 0) {
                sampled += usage;
                alive++;
            }
        }
        BytesFigure during = new BytesFigure("released lock name, lease not yet passed",
                "`LockTemplate.lock(key)` then `close()`, lease " + lease.toMillis() + " ms, " + count
                        + " distinct names",
                count, (keysAtOnce == 0) ? Double.NaN : (double) usedAtOnce / keysAtOnce,
                (alive == 0) ? Double.NaN : sampled / alive, (double) keysAtOnce / count,
                String.format(Locale.ROOT, "just after the last release; bytes per name still within its "
                        + "lease (%,d of %,d: the others' had passed): its fencing counter, which lives as long as "
                        + "the lease it was issued with", keysAtOnce, count));
        report(during);
        // the lease passes, then Redis's expiry removes the fencing counters, then its dictionaries shrink
        long leaseEnds = lastRelease + lease.toNanos();
        sleepUntil(leaseEnds + Duration.ofMillis(500).toNanos());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (this.redis.dbSize() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long used = settledUsedMemory() - before;
        long keysLeft = this.redis.dbSize();
        double waited = (System.nanoTime() - lastRelease) / 1e9;
        BytesFigure after = new BytesFigure("released lock name, after its lease",
                "as above, then waiting for the lease to pass", count, (double) used / count, Double.NaN,
                (double) keysLeft / count, String.format(Locale.ROOT,
                        "%.1f s after the last release (%.1f s for all %,d cycles); %,d keys left; Redis expired "
                                + "%,d keys meanwhile",
                        waited, (lastRelease - started) / 1e9, count, keysLeft, expiredKeys() - expiredBefore));
        report(after);
        return List.of(during, after);
    }

    private BytesFigure limiterKeys(Limiter limiter, RedisKeys keys, Limit limit, String algorithm, int count,
            int calls) throws Exception {
        String[] names = OperationCosts.names("fp-limited-" + limit.algorithm().name().toLowerCase() + "-", count);
        AtomicLong denied = new AtomicLong();
        long before = baseline();
        // round after round over all keys, as many clients calling at once would
        Parallel.run("fp-limited", this.threads, count * calls, i -> {
            if (!limiter.allow(names[i % count], List.of(limit)).allowed()) {
                denied.incrementAndGet();
            }
        });
        long used = this.redis.usedMemory() - before;
        long dbSize = this.redis.dbSize();
        double sampled = 0;
        int sample = Math.min(SAMPLE, count);
        for (int i = 0; i < sample; i++) {
            sampled += this.redis.memoryUsage(keys.limit(names[i], limit));
        }
        BytesFigure figure = new BytesFigure("limiter key, " + algorithm + ", " + calls + "/min",
                "`Limiter.allow(key, List.of(" + limit + "))`, " + calls + " calls per key", count,
                (double) used / count, sampled / sample, (double) dbSize / count,
                "after " + calls + " calls per key within the minute (" + denied + " denied)");
        report(figure);
        return figure;
    }

    /** Empties Redis and waits until its memory has settled. */
    private long baseline() throws InterruptedException {
        this.redis.flushAll();
        return settledUsedMemory();
    }

    /** Reads {@code used_memory} until two readings a quarter of a second apart agree within 1 KB (at most 5 s). */
    private long settledUsedMemory() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long last = this.redis.usedMemory();
        while (true) {
            Thread.sleep(250);
            long now = this.redis.usedMemory();
            if (Math.abs(now - last) <= 1024 || System.nanoTime() > deadline) {
                return now;
            }
            last = now;
        }
    }

    private long expiredKeys() {
        return Long.parseLong(this.redis.info("stats", "expired_keys"));
    }

    private void report(BytesFigure figure) {
        this.log.accept(String.format(Locale.ROOT, "  %s: %.1f B used_memory, %.1f B MEMORY USAGE, "
                + "%.2f keys per item", figure.what(), figure.usedMemoryPerItem(), figure.memoryUsagePerItem(),
                figure.keysPerItem()));
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }
}
