package io.pielock.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.test.FencedCounter;
import io.pielock.test.JavaProcess;
import io.pielock.test.RedisServer;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One failover run, shared by the Sentinel and the Cluster failover tests: two JVMs ({@link FailoverWorker}) of
 * {@link #THREADS} threads each do locked, fenced read-modify-write increments of one counter in a separate Redis
 * (the guarded resource, which refuses operations carrying a token older than one it has seen), while the test
 * takes the lock's master away and waits for its replacement; the workers carry on without a restart.
 * <p>
 * It prints the lock calls that failed during the failover and why, how long after the failover began locks were
 * granted again, the double grants observed (a newer holder reached the resource while a section was between its
 * read and its write), the tokens both sides of a split brain issued (two masters, the same microsecond), the
 * stale writes refused, and the lost updates. It asserts no lost update, no accepted
 * write from overlapping sections, every overtaken write refused, progress after the promotion, and locks granted
 * again well within {@link #RECOVERY_BOUND}. For a longer run: {@code -Dpielock.failover.seconds=30}.
 */
final class FailoverRun {

    static final int THREADS = 4;

    static final Duration LEASE = Duration.ofSeconds(2);

    static final Duration RECOVERY_BOUND = Duration.ofSeconds(20);

    /** Takes the master away, waits for the promotion, and says how it went. */
    interface Failover {

        /**
         * Called once the workers have run a while. Returns when the new master serves the lock.
         * @return the promoted master
         */
        RedisServer perform();
    }

    private long seconds = Long.getLong("pielock.failover.seconds", 10);

    private final String title;

    /** Per worker JVM: the nodes and the master name it is configured with. */
    private final List<String[]> targets;

    private final int minReplicasAcked;

    private boolean noDoubleGrants;

    /**
     * @param title what is done to the master, for the report (e.g. "Sentinel, master SIGKILLed")
     * @param nodes the Sentinels' or the Cluster's nodes, {@code host:port,…}
     * @param masterName the Sentinel master name, or {@link FailoverWorker#CLUSTER}
     * @param minReplicasAcked {@code pielock.lock.min-replicas-acked} of the workers
     */
    FailoverRun(String title, String nodes, String masterName, int minReplicasAcked) {
        this(title, List.of(new String[] { nodes, masterName }, new String[] { nodes, masterName }), minReplicasAcked);
    }

    /**
     * @param title what is done to the master, for the report
     * @param targets per worker JVM: its nodes and master name (as the other constructor takes them)
     * @param minReplicasAcked {@code pielock.lock.min-replicas-acked} of the workers
     */
    FailoverRun(String title, List<String[]> targets, int minReplicasAcked) {
        this.title = title;
        this.targets = targets;
        this.minReplicasAcked = minReplicasAcked;
    }

    /**
     * Lets the workers run at least this long (a failover that takes longer to settle needs more time after it).
     * @param atLeast the shortest run
     * @return this run
     */
    FailoverRun lastingAtLeast(Duration atLeast) {
        this.seconds = Math.max(this.seconds, atLeast.toSeconds());
        return this;
    }

    /**
     * Also asserts that no two holders overlapped at all (not only that fencing refused the overtaken writes).
     * @return this run
     */
    FailoverRun expectingNoDoubleGrants() {
        this.noDoubleGrants = true;
        return this;
    }

    void run(Failover failover) throws Exception {
        String name = "failover-counter:" + UUID.randomUUID();
        try (RedisServer resourceRedis = RedisServer.start()) {
            LettuceConnectionFactory resources = TestRedis.connectionFactory(resourceRedis.host(),
                    resourceRedis.port(), Duration.ofSeconds(5));
            FencedCounter counter = new FencedCounter(new StringRedisTemplate(resources), name);
            List<JavaProcess> workers = new ArrayList<>();
            try {
                for (int i = 0; i < this.targets.size(); i++) {
                    String worker = "jvm-" + (char) ('a' + i);
                    workers.add(JavaProcess.start(FailoverWorker.class, this.targets.get(i)[0], this.targets.get(i)[1],
                            Integer.toString(resourceRedis.port()), name, worker, Integer.toString(THREADS),
                            Long.toString(this.seconds), Long.toString(LEASE.toMillis()),
                            Integer.toString(this.minReplicasAcked)));
                }
                for (JavaProcess worker : workers) {
                    assertThat(worker.nextReply(Duration.ofSeconds(120))).isEqualTo("ready");
                }
                workers.forEach(worker -> worker.send("go"));
                Thread.sleep(Math.min(3000, this.seconds * 1000 / 4));
                long warmUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (counter.value() == 0 && System.nanoTime() < warmUp) {
                    Thread.sleep(50); // a busy machine: let the load start before the failover
                }
                long before = counter.value();
                workers.forEach(worker -> worker.send("killed"));
                long killedAt = System.nanoTime();
                failover.perform();
                long promotedAfter = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
                long atPromotion = counter.value();
                workers.forEach(worker -> worker.send("promoted"));

                Map<String, Long> figures = new HashMap<>();
                List<String> failures = new ArrayList<>();
                for (JavaProcess worker : workers) {
                    String line = worker.nextReply(Duration.ofSeconds(120));
                    for (String pair : line.split(" ")) {
                        String[] nameAndValue = pair.split("=");
                        long value = Long.parseLong(nameAndValue[1]);
                        figures.merge(nameAndValue[0], value, nameAndValue[0].startsWith("firstGrantAfter")
                                ? FailoverRun::earliest : Long::sum);
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
                print(figures, failures, log, before, atPromotion, value, lostUpdates, promotedAfter);

                assertThat(figures.get("errors")).as("unexpected errors in the workers (see their logs)").isZero();
                assertThat(lostUpdates).as("lost updates").isZero();
                assertThat(value).as("counter").isEqualTo(log.acceptedWrites());
                assertThat(log.overlappingAcceptedWrites()).as("accepted writes whose sections overlapped").isZero();
                assertThat(log.tokensNotIncreasing()).as("accepted writes whose token was not higher").isZero();
                assertThat(log.overtakenWritesAccepted()).as("accepted writes a newer holder had overtaken").isZero();
                assertThat(figures.get("firstGrantAfterPromotionMs")).as("locks granted again after the promotion")
                    .isBetween(0L, RECOVERY_BOUND.toMillis());
                if (this.noDoubleGrants) {
                    assertThat(log.overtakenWrites()).as("double grants (sections overtaken)").isEmpty();
                    assertThat(log.sharedTokens()).as("double grants (one token served to both JVMs)").isEmpty();
                }
                assertThat(value).as("increments after the promotion (%d at the promotion)", atPromotion)
                    .isGreaterThan(atPromotion);
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

    private void print(Map<String, Long> figures, List<String> failures, ChaosTest.LogCheck log, long before,
            long atPromotion, long value, long lostUpdates, long promotedAfter) {
        StringBuilder report = new StringBuilder("\n=== pielock failover run (" + this.title + "): "
                + this.targets.size() + " JVMs x "
                + THREADS + " threads, " + this.seconds + " s, lease " + LEASE.toMillis() + " ms, min-replicas-acked "
                + this.minReplicasAcked + ", failover began after " + before + " increments ===\n");
        line(report, "replica promoted, ms after the failover began", promotedAfter);
        line(report, "first lock granted after the failover began, ms", figures.get("firstGrantAfterKillMs"));
        line(report, "locks granted again, ms after the promotion", figures.get("firstGrantAfterPromotionMs"));
        line(report, "lock calls failed (all after the failover began)", figures.get("failedCalls"));
        line(report, "locks granted after the failover began", figures.get("grantsAfterKill"));
        line(report, "increments after the promotion", value - atPromotion);
        line(report, "accepted writes", log.acceptedWrites());
        line(report, "counter value", value);
        line(report, "lost updates", lostUpdates);
        line(report, "double grants observed (sections overtaken)", log.overtakenWrites().size());
        line(report, "  of which the write was accepted", log.overtakenWritesAccepted());
        line(report, "tokens issued on both sides (same microsecond)", log.sharedTokens().size());
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
