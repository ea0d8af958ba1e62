package io.pielock.faults;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.pielock.test.RedisSentinels;
import io.pielock.test.RedisServer;

/**
 * The Sentinel failover run ({@link FailoverRun}): the locks on a Sentinel-monitored master (two replicas, three
 * Sentinels); this JVM kills the master (SIGKILL) and the Sentinels promote a replica.
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
}
