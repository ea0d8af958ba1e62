package io.pielock.test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Where keys sit in a Redis Cluster, asked of the cluster itself ({@code CLUSTER KEYSLOT}, {@code COUNTKEYSINSLOT}). */
public final class ClusterSlots {

    private ClusterSlots() {
    }

    /**
     * Asserts that the keys of each group (the Redis keys of one lock, or of one rate limit) share one slot and
     * are stored there, and counts the groups each master serves.
     * @param cluster a connection to the cluster
     * @param groups each group's Redis keys, all of which must exist
     * @return how many groups each master serves
     */
    public static Map<RedisClusterNode, Integer> groupsPerMaster(RedisClusterConnection cluster,
            List<List<String>> groups) {
        Map<Integer, Integer> groupsPerSlot = new HashMap<>();
        Map<Integer, Integer> keysPerSlot = new HashMap<>();
        for (List<String> group : groups) {
            int slot = cluster.clusterGetSlotForKey(bytes(group.get(0)));
            for (String key : group) {
                assertThat(cluster.clusterGetSlotForKey(bytes(key))).as("slot of %s", key).isEqualTo(slot);
            }
            groupsPerSlot.merge(slot, 1, Integer::sum);
            keysPerSlot.merge(slot, group.size(), Integer::sum);
        }
        Map<RedisClusterNode, Integer> groupsPerMaster = new HashMap<>();
        groupsPerSlot.forEach((slot, count) -> {
            assertThat(cluster.clusterCountKeysInSlot(slot)).as("keys stored in slot %d", slot)
                .isGreaterThanOrEqualTo(keysPerSlot.get(slot).longValue());
            groupsPerMaster.merge(cluster.clusterGetNodeForSlot(slot), count, Integer::sum);
        });
        return groupsPerMaster;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
