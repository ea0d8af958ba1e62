package io.pielock.test;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Sentinel test support does what failover tests rely on: a killed master is replaced by a replica. */
class RedisSentinelsTest {

    @Test
    void aKilledMasterIsReplacedByOneOfItsReplicasWhichKeepsTheData() {
        try (RedisSentinels redis = RedisSentinels.start()) {
            RedisServer master = redis.master();
            assertThat(master.call("SET", "before", "failover")).isEqualTo("OK");
            assertThat(master.call("WAIT", "2", "5000")).isEqualTo(2L);

            RedisServer killed = redis.killMaster();
            RedisServer promoted = redis.awaitPromotion(killed, 1, Duration.ofSeconds(30));

            assertThat(promoted.port()).isNotEqualTo(killed.port());
            assertThat(redis.masterPort()).isEqualTo(promoted.port());
            assertThat(promoted.call("GET", "before")).isEqualTo("failover");
        }
    }
}
