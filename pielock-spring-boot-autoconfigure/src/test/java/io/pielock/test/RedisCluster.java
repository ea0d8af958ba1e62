package io.pielock.test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A throwaway Redis Cluster for tests: {@code redis-server} processes with {@code --cluster-enabled yes} on
 * free ports, joined by {@code redis-cli --cluster create}, nothing persisted. {@link #shared()} is one
 * three-master cluster per test JVM (starting a cluster takes seconds); tests that break nodes start their own.
 * <p>
 * Applications reach it only through Redis Cluster configuration: {@link #springProperties()} gives
 * {@code spring.data.redis.cluster.nodes}, {@link #connectionFactory()} the Spring Data Redis equivalent. A
 * behaviour suite runs on it unchanged by a subclass whose stores use {@code RedisCluster.shared()
 * .connectionFactory()} (as {@code RedisClusterLockTemplateTest} does for the lock suite).
 */
public final class RedisCluster implements AutoCloseable {

    private static RedisCluster shared;

    private final List<RedisServer> masters;

    private final List<RedisServer> replicas;

    private RedisCluster(List<RedisServer> masters, List<RedisServer> replicas) {
        this.masters = masters;
        this.replicas = replicas;
    }

    /** @return a three-master cluster without replicas, started on first use and killed with the JVM */
    public static synchronized RedisCluster shared() {
        if (shared == null) {
            shared = start(3, 0);
        }
        return shared;
    }

    /**
     * Starts a cluster and waits until every node reports {@code cluster_state:ok} and every replica has synced.
     * @param masters how many masters (at least 3)
     * @param replicasPerMaster replicas of each master
     * @return the running cluster
     */
    public static RedisCluster start(int masters, int replicasPerMaster) {
        if (masters < 3) {
            throw new IllegalArgumentException("Redis Cluster needs at least 3 masters, not " + masters);
        }
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
                nodes.add(RedisServer.start("--cluster-enabled", "yes", "--cluster-node-timeout", "2000"));
            }
            create(nodes, replicasPerMaster);
            RedisCluster cluster = new RedisCluster(new ArrayList<>(), new ArrayList<>());
            for (RedisServer node : nodes) {
                ("master".equals(node.info("replication", "role")) ? cluster.masters : cluster.replicas).add(node);
            }
            cluster.awaitReady(Duration.ofSeconds(30));
            return cluster;
        }
        catch (RuntimeException ex) {
            nodes.forEach(RedisServer::stop);
            throw ex;
        }
    }

    /** @return the masters, which own all slots */
    public List<RedisServer> masters() {
        return List.copyOf(this.masters);
    }

    /** @return the replicas */
    public List<RedisServer> replicas() {
        return List.copyOf(this.replicas);
    }

    /** @return every node as {@code host:port}, comma separated (as {@code spring.data.redis.cluster.nodes}) */
    public String nodes() {
        List<RedisServer> all = new ArrayList<>(this.masters);
        all.addAll(this.replicas);
        return all.stream().map(node -> node.host() + ":" + node.port()).collect(Collectors.joining(","));
    }

    /** @return Spring Boot properties pointing {@code spring.data.redis.cluster} at this cluster */
    public String[] springProperties() {
        return new String[] { "spring.data.redis.cluster.nodes=" + nodes() };
    }

    /** @return a started connection factory configured only through Redis Cluster configuration (close it) */
    public LettuceConnectionFactory connectionFactory() {
        return connectionFactory(Duration.ofSeconds(5));
    }

    /**
     * @return a started connection factory, as {@link #connectionFactory()}, that has already discovered the
     *         cluster's topology, as a running application's would have (discovering it on the first call can
     *         take longer than a test's short waits); close it
     */
    public LettuceConnectionFactory connectedFactory() {
        LettuceConnectionFactory factory = connectionFactory();
        try (RedisClusterConnection connection = factory.getClusterConnection()) {
            connection.ping();
        }
        return factory;
    }

    /**
     * @param timeout the command timeout
     * @return a started connection factory configured only through Redis Cluster configuration (close it)
     */
    public LettuceConnectionFactory connectionFactory(Duration timeout) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisClusterConfiguration(List.of(nodes().split(","))),
                LettuceClientConfiguration.builder().commandTimeout(timeout).build());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /**
     * @param slot a hash slot (0 to 16383)
     * @return the master that serves it
     */
    public RedisServer masterOf(int slot) {
        for (RedisServer master : this.masters) {
            for (Object range : (List<?>) master.call("CLUSTER", "SLOTS")) {
                List<?> fields = (List<?>) range;
                if ((Long) fields.get(0) <= slot && slot <= (Long) fields.get(1)) {
                    int port = ((Long) ((List<?>) fields.get(2)).get(1)).intValue();
                    return this.masters.stream().filter(m -> m.port() == port).findFirst().orElseThrow();
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /**
     * @param master one of the masters
     * @return a replica of it
     */
    public RedisServer replicaOf(RedisServer master) {
        return this.replicas.stream()
            .filter(replica -> Integer.toString(master.port()).equals(replica.info("replication", "master_port")))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("master on port " + master.port() + " has no replica"));
    }

    /**
     * @param key a Redis key
     * @return the master that serves the key's slot
     */
    public RedisServer masterOf(String key) {
        return masterOf(((Long) this.masters.get(0).call("CLUSTER", "KEYSLOT", key)).intValue());
    }

    /**
     * Kills a master (SIGKILL): its replicas notice within the node timeout and one of them is promoted.
     * @param master one of the masters
     */
    public void killMaster(RedisServer master) {
        master.stop();
    }

    /**
     * Asks a replica to take over from its master at once, in step with it ({@code CLUSTER FAILOVER}: the master
     * stops taking writes, the replica catches up and is promoted), as an operator does before maintenance.
     * @param replica one of the replicas
     */
    public void failOverTo(RedisServer replica) {
        replica.call("CLUSTER", "FAILOVER");
    }

    /**
     * Waits until a node other than {@code old} serves {@code key}'s slot as a master that answers, as the
     * surviving masters see it, then counts the new master among the masters (and {@code old}, if it still runs,
     * among the replicas once it has become one).
     * @param key a key of the slot
     * @param old the slot's master before the failover
     * @param limit how long to wait
     * @return the new master
     */
    public RedisServer awaitPromotion(String key, RedisServer old, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<RedisServer> all = new ArrayList<>(this.masters);
        all.addAll(this.replicas);
        while (true) {
            for (RedisServer node : all) {
                if (node == old || !node.isRunning()) {
                    continue;
                }
                try {
                    if (!"master".equals(node.info("replication", "role"))) {
                        continue;
                    }
                    long slot = (Long) node.call("CLUSTER", "KEYSLOT", key);
                    if (servesSlot(node, slot)) {
                        this.replicas.remove(node);
                        if (!this.masters.contains(node)) {
                            this.masters.add(node);
                        }
                        this.masters.remove(old);
                        if (old.isRunning() && !this.replicas.contains(old)) {
                            this.replicas.add(old);
                        }
                        return node;
                    }
                }
                catch (RuntimeException ex) {
                    // not answering yet: ask again
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no replica of the master on port " + old.port()
                        + " was promoted within " + limit);
            }
            sleep(50);
        }
    }

    /** @return whether the node itself says it serves the slot as a master */
    private static boolean servesSlot(RedisServer node, long slot) {
        for (Object range : (List<?>) node.call("CLUSTER", "SLOTS")) {
            List<?> fields = (List<?>) range;
            if ((Long) fields.get(0) <= slot && slot <= (Long) fields.get(1)) {
                return ((Long) ((List<?>) fields.get(2)).get(1)).intValue() == node.port();
            }
        }
        return false;
    }

    private static void create(List<RedisServer> nodes, int replicasPerMaster) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(node -> command.add(node.host() + ":" + node.port()));
        command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
        try {
            Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(create.getInputStream().readAllBytes());
            if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not run redis-cli (Debian: apt-get install redis-tools)", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private void awaitReady(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        int size = this.masters.size() + this.replicas.size();
        while (!ready(size)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis Cluster " + nodes() + " did not become ready within " + limit);
            }
            sleep(50);
        }
    }

    private boolean ready(int size) {
        for (RedisServer node : this.masters) {
            String info = (String) node.call("CLUSTER", "INFO");
            if (!"ok".equals(Resp.field(info, "cluster_state"))
                    || !Integer.toString(size).equals(Resp.field(info, "cluster_known_nodes"))) {
                return false;
            }
        }
        for (RedisServer replica : this.replicas) {
            if (!"up".equals(replica.info("replication", "master_link_status"))
                    || !"ok".equals(Resp.field((String) replica.call("CLUSTER", "INFO"), "cluster_state"))) {
                return false;
            }
        }
        return true;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Kills every node. */
    @Override
    public void close() {
        this.replicas.forEach(RedisServer::stop);
        this.masters.forEach(RedisServer::stop);
    }
}
