package io.pielock.limiter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.test.ClusterSlots;
import io.pielock.test.HostileKeys;
import io.pielock.test.RedisCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limit specification and the Redis checks of {@link RedisLimiterTest}, unchanged, against a real
 * three-master Redis Cluster reached only through cluster configuration (each "process" has its own cluster
 * connections). Plus what only a cluster can show: limit keys spread over the masters while all windows of a
 * key share one slot, and braces in keys cannot steer them.
 */
class RedisClusterLimiterTest extends RedisLimiterTest {

    private static final List<Limit> PER_MINUTE_AND_HOUR = List.of(Limit.of(2, TimeUnit.MINUTE),
            Limit.of(30, TimeUnit.HOUR));

    private static final List<Limit> ONE_PER_MINUTE = List.of(Limit.of(1, TimeUnit.MINUTE));

    @Override
    protected LettuceConnectionFactory newConnectionFactory() {
        return RedisCluster.shared().connectedFactory();
    }

    @Test
    void aThousandLimitKeysLandOnEveryMasterAndAllWindowsOfAKeyShareOneSlot() {
        Limiter limiter = newProcess();
        List<String> names = IntStream.range(0, 1000).mapToObj(i -> this.key + ":" + i).toList();
        names.forEach(name -> assertThat(limiter.allow(name, PER_MINUTE_AND_HOUR).allowed()).as(name).isTrue());
        Map<RedisClusterNode, Integer> limitsPerMaster = limitsPerMaster(names, PER_MINUTE_AND_HOUR);
        assertThat(limitsPerMaster).hasSize(RedisCluster.shared().masters().size());
        assertThat(limitsPerMaster.values()).as("about a third each").allSatisfy(n -> assertThat(n).isGreaterThan(200));
    }

    @Test
    void bracesInKeysNeitherBreakTheHashTagNorSteerKeysIntoOneSlot() {
        Limiter limiter = newProcess();
        List<String> odd = HostileKeys.strayBraces(this.key);
        List<String> names = new ArrayList<>(HostileKeys.sameTagged(this.key));
        names.addAll(odd);
        names.forEach(name -> assertThat(limiter.allow(name, ONE_PER_MINUTE).allowed())
            .as("%s is a limit of its own", name)
            .isTrue());
        odd.forEach(name -> assertThat(limiter.allow(name, ONE_PER_MINUTE).allowed()).as("%s counted its call", name)
            .isFalse());
        assertThat(limitsPerMaster(names, ONE_PER_MINUTE)).as("keys that all start with the same {tag} still spread")
            .hasSize(RedisCluster.shared().masters().size());
    }

    /** Each key's windows share a slot and are stored there; counts the keys per master. */
    private Map<RedisClusterNode, Integer> limitsPerMaster(List<String> names, List<Limit> limits) {
        try (RedisClusterConnection cluster = connect().getClusterConnection()) {
            return ClusterSlots.groupsPerMaster(cluster, names.stream()
                .map(name -> limits.stream().map(limit -> KEYS.limit(name, limit)).toList())
                .toList());
        }
    }
}
