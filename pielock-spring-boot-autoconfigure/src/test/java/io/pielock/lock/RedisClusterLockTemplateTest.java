package io.pielock.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.store.redis.TestLockStores;
import io.pielock.test.ClusterSlots;
import io.pielock.test.HostileKeys;
import io.pielock.test.RedisCluster;
import io.pielock.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock specification, unchanged, against a real three-master Redis Cluster reached only through cluster
 * configuration (each "process" has its own cluster connections). Plus what only a cluster can show: keys
 * spread over the masters, each lock's keys in one slot, and releases announced on the lock's own shard (sharded
 * pub/sub), not across the cluster bus.
 */
class RedisClusterLockTemplateTest extends AbstractLockTemplateContractTest {

    private static final RedisKeys KEYS = new RedisKeys("pielock:");

    private static final LockOptions HOLD = LockOptions.defaults().withExpires(Duration.ofMinutes(2)).withRenew(false);

    @Override
    protected LockStore newStore() {
        LettuceConnectionFactory factory = track(RedisCluster.shared().connectedFactory());
        return new RedisLockStore(factory, KEYS);
    }

    @Test
    void aThousandLocksLandOnEveryMasterAndEachLocksKeysShareOneSlot() {
        LockTemplate template = newProcess(HOLD);
        List<String> names = IntStream.range(0, 1000).mapToObj(i -> this.key + ":" + i).toList();
        names.forEach(name -> assertThat(template.tryAcquire(name).acquired()).isTrue());
        Map<RedisClusterNode, Integer> locksPerMaster = locksPerMaster(names);
        assertThat(locksPerMaster).hasSize(RedisCluster.shared().masters().size());
        assertThat(locksPerMaster.values()).as("about a third each").allSatisfy(n -> assertThat(n).isGreaterThan(200));
        names.forEach(template::release);
    }

    @Test
    void bracesInNamesNeitherBreakTheHashTagNorSteerKeysIntoOneSlot() {
        LockTemplate template = newProcess(HOLD);
        LockTemplate other = newProcess();
        List<String> odd = HostileKeys.strayBraces(this.key);
        List<String> names = new ArrayList<>(HostileKeys.sameTagged(this.key));
        names.addAll(odd);
        names.forEach(name -> assertThat(template.tryAcquire(name).acquired()).as(name).isTrue());
        odd.forEach(name -> assertThat(other.tryAcquire(name).acquired()).as("%s is locked", name).isFalse());
        assertThat(locksPerMaster(names)).as("names that all start with the same {tag} still spread").hasSize(3);
        names.forEach(name -> assertThat(template.release(name).released()).as(name).isTrue());
        odd.forEach(name -> assertThat(other.tryAcquire(name).acquired()).as("%s is free again", name).isTrue());
    }

    @Test
    void aReleaseWakesItsWaiterThroughTheLocksOwnShardWithoutCrossingTheClusterBus() throws Exception {
        LockTemplate holder = newProcess();
        LockTemplate waiter = newProcess(LockOptions.defaults().withRetryAfter(Duration.ofSeconds(30)));
        RedisServer owner = RedisCluster.shared().masterOf(KEYS.lock(this.key));
        assertThat(holder.acquire(this.key).acquired()).isTrue();
        CompletableFuture<Long> acquiredAfter = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            assertThat(waiter.acquire(this.key).acquired()).isTrue();
            waiter.release(this.key);
            return System.nanoTime() - start;
        });
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (shardSubscribers(owner, this.key) == 0 && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
        assertThat(RedisCluster.shared().masters())
            .as("the waiter subscribed to the lock's sharded channel on the master that owns the lock, only there")
            .allSatisfy(master -> assertThat(shardSubscribers(master, this.key)).isEqualTo(master == owner ? 1 : 0));
        long busPublishesBefore = classicPublishesOnTheClusterBus();
        Thread.sleep(100);
        assertThat(holder.release(this.key).released()).isTrue();
        assertThat(Duration.ofNanos(acquiredAfter.get(60, TimeUnit.SECONDS)))
            .as("woken by the release announced on the shard, not by the 30 s poll")
            .isLessThan(Duration.ofSeconds(10));
        assertThat(classicPublishesOnTheClusterBus())
            .as("classic PUBLISH messages sent over the cluster bus (SPUBLISH stays on its shard)")
            .isEqualTo(busPublishesBefore);
    }

    @Test
    void releasedNamesLeaveNothingOnAnyMasterOnceTheirLeaseHasPassed() throws Exception {
        Duration lease = Duration.ofMillis(800);
        LockTemplate template = newProcess(LockOptions.defaults().withExpires(lease));
        for (int i = 0; i < 1000; i++) {
            template.run(this.key + ":" + i, () -> { });
        }
        String pattern = "pielock:*{" + this.key + ":*";
        long counters = RedisCluster.shared().masters().stream()
            .mapToLong(master -> ((List<?>) master.call("KEYS", pattern)).size()).sum();
        assertThat(counters).as("fencing counters while their lease runs").isPositive();
        Thread.sleep(lease.plusMillis(300).toMillis());
        assertThat(RedisCluster.shared().masters()).as("nothing left one lease after the last acquisition")
            .allSatisfy(master -> assertThat((List<?>) master.call("KEYS", pattern)).isEmpty());
    }

    @Test
    void aReleaseReachesOnlyTheProcessesThatWaitForThatLock() throws Exception {
        // a short linger: the audience waits for the subscriptions to end
        ReleaseAudience.onlyTheWaitersHearAContendedLocksReleases(
                i -> track(TestLockStores.withLinger((RedisLockStore) newStore(), Duration.ofSeconds(1))), this.key,
                name -> RedisCluster.shared().masters().stream()
                    .mapToLong(master -> shardSubscribers(master, name))
                    .sum());
    }

    /** Each held lock's keys (lock and fence) share a slot and are stored there; counts the locks per master. */
    private Map<RedisClusterNode, Integer> locksPerMaster(List<String> names) {
        try (RedisClusterConnection cluster = track(RedisCluster.shared().connectionFactory())
            .getClusterConnection()) {
            return ClusterSlots.groupsPerMaster(cluster,
                    names.stream().map(name -> List.of(KEYS.lock(name), KEYS.fence(name))).toList());
        }
    }

    /**
     * @return how many stores subscribe to the lock's sharded release channels on this master (each waiting store
     *         has its own: {@code <release channel>:<listener>})
     */
    private static long shardSubscribers(RedisServer master, String name) {
        return ((List<?>) master.call("PUBSUB", "SHARDCHANNELS", KEYS.releaseChannel(name) + ":*")).size();
    }

    /** @return the classic publish messages the masters have sent each other over the cluster bus so far */
    private static long classicPublishesOnTheClusterBus() {
        long sent = 0;
        for (RedisServer master : RedisCluster.shared().masters()) {
            for (String line : ((String) master.call("CLUSTER", "INFO")).split("\r?\n")) {
                if (line.startsWith("cluster_stats_messages_publish_sent:")) {
                    sent += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        }
        return sent;
    }
}
