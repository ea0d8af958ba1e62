package io.pielock.faults;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.pielock.test.RedisSentinels;
import io.pielock.test.RedisServer;

/**
 * The Sentinel failover runs ({@link FailoverRun}): the locks on a Sentinel-monitored master (two replicas, three
 * Sentinels). This JVM kills the master (SIGKILL) and the Sentinels promote a replica; or it freezes the master
 * (SIGSTOP) until they have, then thaws it (it comes back as a replica); or it partitions the
 * network so that one worker JVM keeps reaching only the old master while the Sentinels, the replicas and the other
 * worker lose it and go on with a promoted replica (a split brain: the case {@code min-replicas-acked} is for).
 */
class FailoverChaosTest {

    @ParameterizedTest(name = "min-replicas-acked={0}")
    @ValueSource(ints = { 0, 1 })
    void fencedIncrementsLoseNoUpdateWhenTheMasterIsKilledAndAReplicaPromoted(int minReplicasAcked)
            throws Exception {
        try (RedisSentinels lockRedis = RedisSentinels.start()) {
            new FailoverRun("Sentinel, master SIGKILLed", lockRedis.nodes(), RedisSentinels.MASTER_NAME,
                    minReplicasAcked).run(() -> {
                        RedisServer killed = lockRedis.killMaster();
                        return lockRedis.awaitPromotion(killed, 0, FailoverRun.RECOVERY_BOUND);
                    });
        }
    }

    @ParameterizedTest(name = "min-replicas-acked={0}")
    @ValueSource(ints = { 0, 1 })
    void fencedIncrementsLoseNoUpdateWhenTheMasterIsFrozenPastTheDownAfterTimeAndThawsAsAReplica(
            int minReplicasAcked) throws Exception {
        try (RedisSentinels lockRedis = RedisSentinels.start()) {
            // the replicas resync with the promoted one, and the thawed master becomes a replica: give it time
            new FailoverRun("Sentinel, master SIGSTOPped until a replica is promoted, then thawed",
                    lockRedis.nodes(), RedisSentinels.MASTER_NAME, minReplicasAcked)
                .lastingAtLeast(Duration.ofSeconds(20))
                .run(() -> {
                    RedisServer frozen = lockRedis.pauseMaster();
                    try {
                        return lockRedis.awaitPromotion(frozen, 0, FailoverRun.RECOVERY_BOUND);
                    }
                    finally {
                        frozen.resume();
                    }
                });
        }
    }

    @ParameterizedTest(name = "min-replicas-acked={0}")
    @ValueSource(ints = { 0, 1 })
    void fencedIncrementsLoseNoUpdateWhenAPartitionLeavesOneJvmOnTheOldMaster(int minReplicasAcked)
            throws Exception {
        try (RedisSentinels lockRedis = RedisSentinels.startPartitionable()) {
            String oldMaster = Integer.toString(lockRedis.servers().get(0).port());
            FailoverRun run = new FailoverRun("Sentinel, partition: jvm-a reaches only the old master", List.of(
                    new String[] { oldMaster, FailoverWorker.DIRECT },
                    new String[] { lockRedis.nodes(), RedisSentinels.MASTER_NAME }), minReplicasAcked);
            if (minReplicasAcked > 0) {
                // the cut-off master has no replica left to acknowledge: it grants nothing more
                run.expectingNoDoubleGrants();
            }
            run.run(() -> {
                RedisServer cutOff = lockRedis.partitionMaster();
                return lockRedis.awaitPromotion(cutOff, 0, FailoverRun.RECOVERY_BOUND);
            });
        }
    }
}
