package io.pielock.faults;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pielock.lock.LockAcquisitionException;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockTemplate;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.ReplicaAcknowledgementException;
import io.pielock.test.LockProcesses;
import io.pielock.test.RedisCluster;
import io.pielock.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code min-replicas-acked} on Redis Cluster: {@code WAIT} must run on the connection to the master that
 * took the lock. Pausing that master's replica (still connected, acknowledging nothing) proves it: asked on
 * another master, whose replica is healthy, {@code WAIT} would succeed and the acquisition wrongly count.
 */
class ClusterReplicaAcknowledgementTest {

    private static final RedisKeys KEYS = LockProcesses.KEYS;

    private static RedisCluster cluster;

    private final LockProcesses processes = new LockProcesses(() -> cluster.connectionFactory());

    private final LockTemplate template = this.processes
        .newProcess(LockOptions.defaults().withExpires(Duration.ofSeconds(3)), 1);

    private final String key = "replicated:" + UUID.randomUUID();

    @BeforeAll
    static void startClusterWithReplicas() {
        cluster = RedisCluster.start(3, 1);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void close() throws Exception {
        this.processes.close();
    }

    @Test
    void anAcquisitionCountsOnceTheSlotMastersReplicaHasIt() {
        RedisServer master = cluster.masterOf(KEYS.lock(this.key));

        assertThat(this.template.tryAcquire(this.key).acquired()).isTrue();

        List<Object> replicaCopy = cluster.replicaOf(master)
            .callAll(List.of(new String[] { "READONLY" }, new String[] { "GET", KEYS.lock(this.key) }));
        assertThat(replicaCopy.get(1)).as("the replica holds the lock already")
            .isEqualTo(master.call("GET", KEYS.lock(this.key)));
        assertThat(this.template.release(this.key).released()).isTrue();
    }

    @Test
    void aPausedReplicaOfTheSlotsMasterFailsTheAcquisitionAndLeavesNothingLocked() {
        RedisServer master = cluster.masterOf(KEYS.lock(this.key));
        RedisServer replica = cluster.replicaOf(master);
        assertThat(this.template.tryAcquire("warm-up:" + this.key).acquired()).isTrue();
        replica.pause();
        try {
            assertThatThrownBy(() -> this.template.lock(this.key)).isInstanceOf(LockAcquisitionException.class)
                .hasMessageContaining("acknowledged by 0 of 1 replicas")
                .hasCauseInstanceOf(ReplicaAcknowledgementException.class);
            assertThat(master.call("EXISTS", KEYS.lock(this.key))).isEqualTo(0L);
        }
        finally {
            replica.resume();
        }
    }
}
