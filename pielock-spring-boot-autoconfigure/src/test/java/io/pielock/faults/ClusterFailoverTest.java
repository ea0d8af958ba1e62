package io.pielock.faults;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.pielock.test.RedisCluster;
import io.pielock.test.RedisServer;

/**
 * The Redis Cluster failover run ({@link FailoverRun}): the locks on a three-master cluster with two replicas per
 * master, reached only through the cluster's nodes, with Lettuce's adaptive topology refresh (Spring Boot's
 * {@code spring.data.redis.lettuce.cluster.refresh.adaptive=true}). The lock's master is either killed (SIGKILL;
 * its replicas promote one of themselves after the node timeout, 2 s here) or handed over with
 * {@code CLUSTER FAILOVER} on one of its replicas (what an operator does before maintenance). Two replicas, so
 * that with {@code min-replicas-acked 1} the promoted master still has one to acknowledge acquisitions.
 */
class ClusterFailoverTest {

    private static final String LOCK_KEY = "pielock:lock:{failover}";

    @ParameterizedTest(name = "{0}, min-replicas-acked={1}")
    @CsvSource({ "kill, 0", "kill, 1", "CLUSTER FAILOVER, 0", "CLUSTER FAILOVER, 1" })
    void fencedIncrementsLoseNoUpdateWhenTheLocksMasterFailsOver(String how, int minReplicasAcked) throws Exception {
        try (RedisCluster cluster = RedisCluster.start(3, 2)) {
            boolean kill = how.equals("kill");
            new FailoverRun("Redis Cluster, " + (kill ? "master SIGKILLed" : "CLUSTER FAILOVER on a replica"),
                    cluster.nodes(), FailoverWorker.CLUSTER, minReplicasAcked).run(() -> {
                        RedisServer master = cluster.masterOf(LOCK_KEY);
                        if (kill) {
                            cluster.killMaster(master);
                        }
                        else {
                            cluster.failOverTo(cluster.replicaOf(master));
                        }
                        return cluster.awaitPromotion(LOCK_KEY, master, FailoverRun.RECOVERY_BOUND);
                    });
        }
    }
}
