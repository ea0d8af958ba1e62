package io.pielock.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.pielock.lock.LockAcquisitionException;
import io.pielock.lock.LockHandle;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockTemplate;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.test.FencedCounter;
import io.pielock.test.JavaProcess;
import io.pielock.test.TestRedis;

/**
 * One application instance of {@link FailoverChaosTest}, in its own JVM, with locks on a Sentinel-monitored
 * Redis: threads that, until the deadline, take the lock, read the fenced counter, pause briefly, write it plus
 * one, and release. Arguments: Sentinel nodes (or a Redis Cluster's nodes, or one Redis's port), master name (or {@value #CLUSTER}, or {@value #DIRECT}), resource Redis port, counter name, worker name,
 * threads, seconds, lease ms, min-replicas-acked. Answers {@code ready}, waits for {@code go}, notes the moment it
 * reads {@code killed} (the master was killed) and {@code promoted} (a replica took over), and at the end answers its figures, then {@code failures N}
 * followed by N lines {@code count kind: first message} for the lock calls that failed after the kill.
 */
public final class FailoverWorker {

    /** The master name argument that means: the nodes are a Redis Cluster's, not Sentinels. */
    static final String CLUSTER = "cluster";

    /** The master name argument that means: the node is one Redis, reached at its port without Sentinels. */
    static final String DIRECT = "direct";

    private final LockTemplate template;

    private final LockOptions options;

    private final FencedCounter counter;

    private final String name;

    private final AtomicLong acceptedWrites = new AtomicLong();

    private final AtomicLong staleWritesRefused = new AtomicLong();

    private final AtomicLong staleReadsRefused = new AtomicLong();

    private final AtomicLong failedCalls = new AtomicLong();

    private final AtomicLong grantsAfterKill = new AtomicLong();

    private final AtomicLong errors = new AtomicLong();

    private volatile long killedAt;

    private final AtomicLong firstGrantAfterKill = new AtomicLong(-1);

    private volatile long promotedAt;

    private final AtomicLong firstGrantAfterPromotion = new AtomicLong(-1);

    private final Map<String, String> failureExamples = new ConcurrentHashMap<>();

    private final Map<String, AtomicLong> failureCounts = new ConcurrentHashMap<>();

    private FailoverWorker(LockTemplate template, LockOptions options, FencedCounter counter, String name) {
        this.template = template;
        this.options = options;
        this.counter = counter;
        this.name = name;
    }

    public static void main(String[] args) throws Exception {
        LettuceConnectionFactory locks = DIRECT.equals(args[1])
                ? new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", Integer.parseInt(args[0])),
                        LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(1)).build())
                : CLUSTER.equals(args[1])
                ? new LettuceConnectionFactory(new RedisClusterConfiguration(List.of(args[0].split(","))),
                        LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(1))
                            .clientOptions(followingTopologyChanges()).build())
                : new LettuceConnectionFactory(new RedisSentinelConfiguration(args[1], Set.of(args[0].split(","))),
                        LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(1)).build());
        locks.afterPropertiesSet();
        locks.start();
        LettuceConnectionFactory resources = TestRedis.connectionFactory("127.0.0.1", Integer.parseInt(args[2]),
                Duration.ofSeconds(5));
        LockOptions options = LockOptions.defaults()
            .withExpires(Duration.ofMillis(Long.parseLong(args[7])))
            .withTimeout(Duration.ofSeconds(5))
            .withRetryAfter(Duration.ofMillis(200));
        FailoverWorker worker = new FailoverWorker(
                new LockTemplate(new RedisLockStore(locks, new RedisKeys("pielock:"), Integer.parseInt(args[8])),
                        options),
                options, new FencedCounter(new StringRedisTemplate(resources), args[3]), args[4]);
        JavaProcess.reply("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        in.readLine();
        Thread listener = new Thread(() -> worker.awaitKill(in), "failover-listener");
        listener.setDaemon(true);
        listener.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[6])).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(args[5]); i++) {
            Thread thread = new Thread(() -> worker.runUntil(deadline), args[4] + "-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        JavaProcess.reply("acceptedWrites=" + worker.acceptedWrites + " staleWritesRefused="
                + worker.staleWritesRefused + " staleReadsRefused=" + worker.staleReadsRefused + " failedCalls="
                + worker.failedCalls + " grantsAfterKill=" + worker.grantsAfterKill + " firstGrantAfterKillMs="
                + worker.firstGrantAfterKill + " firstGrantAfterPromotionMs=" + worker.firstGrantAfterPromotion + " errors="
                + worker.errors);
        JavaProcess.reply("failures " + worker.failureCounts.size());
        worker.failureCounts.forEach((kind, count) -> JavaProcess
            .reply(count + " " + kind + ": " + worker.failureExamples.get(kind).replace('\n', ' ')));
        System.exit(0);
    }

    /**
     * What Spring Boot sets for {@code spring.data.redis.lettuce.cluster.refresh.adaptive=true}: Lettuce refreshes
     * the cluster's topology when it sees a redirection or keeps failing to reconnect, not only on a timer.
     */
    private static ClusterClientOptions followingTopologyChanges() {
        return ClusterClientOptions.builder()
            .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers().build())
            .build();
    }

    private void awaitKill(BufferedReader in) {
        try {
            if ("killed".equals(in.readLine())) {
                this.killedAt = System.nanoTime();
            }
            if ("promoted".equals(in.readLine())) {
                this.promotedAt = System.nanoTime();
            }
        }
        catch (IOException ex) {
            // the test went away
        }
    }

    private void runUntil(long deadline) {
        while (System.nanoTime() < deadline) {
            LockHandle handle;
            try {
                handle = this.template.lock("failover", this.options);
            }
            catch (RuntimeException ex) {
                failed(ex);
                pause(50);
                continue;
            }
            long killed = this.killedAt;
            if (killed != 0) {
                this.grantsAfterKill.incrementAndGet();
                this.firstGrantAfterKill.compareAndSet(-1, Duration.ofNanos(System.nanoTime() - killed).toMillis());
            }
            long promoted = this.promotedAt;
            if (promoted != 0) {
                this.firstGrantAfterPromotion.compareAndSet(-1,
                        Duration.ofNanos(System.nanoTime() - promoted).toMillis());
            }
            try {
                incrementUnder(handle);
            }
            catch (RuntimeException ex) {
                this.errors.incrementAndGet();
                ex.printStackTrace();
                handle.release();
            }
        }
    }

    private void failed(RuntimeException ex) {
        this.failedCalls.incrementAndGet();
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String kind = ((ex instanceof LockAcquisitionException lock) ? lock.getReason().name()
                : ex.getClass().getSimpleName()) + " caused by " + root.getClass().getSimpleName();
        this.failureCounts.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        this.failureExamples.putIfAbsent(kind, String.valueOf(ex.getMessage()));
    }

    private void incrementUnder(LockHandle handle) {
        long token = handle.fencingToken();
        var value = this.counter.read(token, this.name);
        if (value.isEmpty()) {
            this.staleReadsRefused.incrementAndGet();
        }
        else {
            pause(ThreadLocalRandom.current().nextLong(5, 16));
            boolean refused = !this.counter.write(token, value.getAsLong() + 1, this.name);
            (refused ? this.staleWritesRefused : this.acceptedWrites).incrementAndGet();
        }
        handle.release();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
