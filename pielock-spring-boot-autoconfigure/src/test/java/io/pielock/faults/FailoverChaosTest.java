package io.pielock.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.test.FencedCounter;
import io.pielock.test.JavaProcess;
import io.pielock.test.RedisSentinels;
import io.pielock.test.RedisServer;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failover run: two JVMs ({@link FailoverWorker}) of 4 threads each do locked, fenced read-modify-write
 * increments of one counter, their locks on a Sentinel-monitored master (two replicas, three Sentinels), while
 * this JVM kills the master (SIGKILL) and the Sentinels promote a replica; the workers carry on without a
 * restart. The counter lives in a separate Redis (the guarded resource), which refuses operations carrying a
 * token older than one it has seen.
 * <p>
 * It prints the lock calls that failed during the failover and why, how long after the kill locks were granted
 * again, the double grants observed (a newer holder reached the resource while a section was between its read
 * and its write), the stale writes refused, and the lost updates. It asserts no lost update, no accepted write
 * from overlapping sections, every overtaken write refused, and locks granted again well within
 * {@link #RECOVERY_BOUND}. For a longer run: {@code -Dpielock.failover.seconds=30}.
 */
class FailoverChaosTest {

    private static final int THREADS = 4;

    private static final Duration LEASE = Duration.ofSeconds(2);

    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(20);

    private final long seconds = Long.getLong("pielock.failover.seconds", 10);

    @ParameterizedTest(name = "min-replicas-acked={0}")
    @ValueSource(ints = { 0, 1 })
    void fencedIncrementsLoseNoUpdateWhenTheMasterIsKilledAndAReplicaPromoted(int minReplicasAcked)
            throws Exception {
        String name = "failover-counter:" + UUID.randomUUID();
        try (RedisSentinels lockRedis = RedisSentinels.start(); RedisServer resourceRedis = RedisServer.start()) {
            LettuceConnectionFactory resources = TestRedis.connectionFactory(resourceRedis.host(),
                    resourceRedis.port(), Duration.ofSeconds(5));
            FencedCounter counter = new FencedCounter(new StringRedisTemplate(resources), name);
            List<JavaProcess> workers = new ArrayList<>();
            try {
                for (String worker : List.of("jvm-a", "jvm-b")) {
                    workers.add(JavaProcess.start(FailoverWorker.class, lockRedis.nodes(), RedisSentinels.MASTER_NAME,
                            Integer.toString(resourceRedis.port()), name, worker, Integer.toString(THREADS),
                            Long.toString(this.seconds), Long.toString(LEASE.toMillis()),
                            Integer.toString(minReplicasAcked)));
                }
                for (JavaProcess worker : workers) {
                    assertThat(worker.nextReply(Duration.ofSeconds(120))).isEqualTo("ready");
                }
                workers.forEach(worker -> worker.send("go"));
                Thread.sleep(Math.min(3000, this.seconds * 1000 / 4));
                long before = counter.value();
                RedisServer killed = lockRedis.killMaster();
                workers.forEach(worker -> worker.send("killed"));
                long killedAt = System.nanoTime();
                RedisServer promoted = lockRedis.awaitPromotion(killed, 0, RECOVERY_BOUND);
                long promotedAfter = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();

                Map<String, Long> figures = new HashMap<>();
                List<String> failures = new ArrayList<>();
                for (JavaProcess worker : workers) {
                    String line = worker.nextReply(Duration.ofSeconds(120));
                    for (String pair : line.split(" ")) {
                        String[] nameAndValue = pair.split("=");
                        long value = Long.parseLong(nameAndValue[1]);
                        figures.merge(nameAndValue[0], value, nameAndValue[0].equals("firstGrantAfterKillMs")
                                ? FailoverChaosTest::earliest : Long::sum);
                    }
                    String header = worker.nextReply(Duration.ofSeconds(10));
                    int count = Integer.parseInt(header.substring("failures ".length()));
                    for (int i = 0; i < count; i++) {
                        failures.add(worker + ": " + worker.nextReply(Duration.ofSeconds(10)));
                    }
                }
                ChaosTest.LogCheck log = ChaosTest.LogCheck.of(counter.log());
                long value = counter.value();
                long lostUpdates = counter.acceptedWrites() - value;
                print(minReplicasAcked, figures, failures, log, before, value, lostUpdates, promotedAfter,
                        promoted.port() != killed.port());

                assertThat(figures.get("errors")).as("unexpected errors in the workers (see their logs)").isZero();
                assertThat(lostUpdates).as("lost updates").isZero();
                assertThat(value).as("counter").isEqualTo(log.acceptedWrites());
                assertThat(log.overlappingAcceptedWrites()).as("accepted writes whose sections overlapped").isZero();
                assertThat(log.tokensNotIncreasing()).as("accepted writes whose token was not higher").isZero();
                assertThat(log.overtakenWritesAccepted()).as("accepted writes a newer holder had overtaken").isZero();
                assertThat(figures.get("firstGrantAfterKillMs")).as("locks granted again after the kill")
                    .isBetween(0L, RECOVERY_BOUND.toMillis());
                assertThat(value).as("progress after the failover").isGreaterThan(before);
            }
            finally {
                workers.forEach(JavaProcess::close);
                resources.destroy();
            }
        }
    }

    private static long earliest(long a, long b) {
        return (a < 0) ? b : (b < 0) ? a : Math.min(a, b);
    }

    private void print(int minReplicasAcked, Map<String, Long> figures, List<String> failures,
            ChaosTest.LogCheck log, long before, long value, long lostUpdates, long promotedAfter, boolean promoted) {
        StringBuilder report = new StringBuilder("\n=== pielock failover run: 2 JVMs x " + THREADS + " threads, "
                + this.seconds + " s, lease " + LEASE.toMillis() + " ms, min-replicas-acked " + minReplicasAcked
                + ", master SIGKILLed after " + before + " increments ===\n");
        line(report, "replica promoted (Sentinels agree), ms after the kill", promoted ? promotedAfter : -1);
        line(report, "locks granted again, ms after the kill", figures.get("firstGrantAfterKillMs"));
        line(report, "lock calls failed (all after the kill)", figures.get("failedCalls"));
        line(report, "locks granted after the kill", figures.get("grantsAfterKill"));
        line(report, "accepted writes", log.acceptedWrites());
        line(report, "counter value", value);
        line(report, "lost updates", lostUpdates);
        line(report, "double grants observed (sections overtaken)", log.overtakenWrites().size());
        line(report, "  of which the write was accepted", log.overtakenWritesAccepted());
        line(report, "stale writes refused", figures.get("staleWritesRefused"));
        line(report, "stale reads refused", figures.get("staleReadsRefused"));
        report.append("failed lock calls by kind (count, kind, first message):\n");
        failures.forEach(failure -> report.append("  ").append(failure).append('\n'));
        System.out.println(report);
    }

    private static void line(StringBuilder report, String label, long value) {
        report.append(String.format("%-56s %8d%n", label, value));
    }
}
