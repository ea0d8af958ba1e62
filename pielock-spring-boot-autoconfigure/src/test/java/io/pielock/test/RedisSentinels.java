package io.pielock.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A throwaway Sentinel deployment for failover tests: a master, two replicas and three Sentinels (quorum 2) on
 * free ports, all on 127.0.0.1. The Sentinels declare the master down after {@link #DOWN_AFTER} without an
 * answer and promote a replica; tests kill (SIGKILL) or freeze (SIGSTOP) the master and wait for the promotion.
 * {@link #close()} stops every process, and each process is also killed with the JVM.
 */
public final class RedisSentinels implements AutoCloseable {

    /** The name the Sentinels monitor the master by ({@code spring.data.redis.sentinel.master}). */
    public static final String MASTER_NAME = "pielock-master";

    /** How long the master may stay silent before the Sentinels think it down. */
    public static final Duration DOWN_AFTER = Duration.ofMillis(1000);

    private final List<RedisServer> servers = new ArrayList<>();

    private final List<RedisServer> sentinels = new ArrayList<>();

    /** Between the first master and everyone who reaches it through its address, in a partitionable deployment. */
    private TcpProxy proxy;

    private RedisSentinels() {
    }

    /**
     * As {@link #start()}, but the replicas and Sentinels reach the first master only through a {@link TcpProxy}
     * (the address the Sentinels hand out), so that {@link #partitionMaster()} can cut it off from them while a
     * client that connects to its own port directly still reaches it: one side of a network partition.
     * @return the running deployment
     */
    public static RedisSentinels startPartitionable() {
        return start(true);
    }

    /**
     * Cuts the first master off from the replicas, the Sentinels and every client that reached it through the
     * Sentinels' address; it runs on, reachable at its own port. The Sentinels then promote a replica.
     * @return the master, now on the minority side
     * @throws IllegalStateException if the deployment was not started partitionable
     */
    public RedisServer partitionMaster() {
        if (this.proxy == null) {
            throw new IllegalStateException("start the deployment with startPartitionable() to partition it");
        }
        this.proxy.partition();
        return this.servers.get(0);
    }

    /**
     * Starts the master, its two replicas (synced) and three Sentinels that know each other and the replicas.
     * @return the running deployment
     */
    public static RedisSentinels start() {
        return start(false);
    }

    private static RedisSentinels start(boolean partitionable) {
        RedisSentinels deployment = new RedisSentinels();
        try {
            RedisServer master = RedisServer.start();
            deployment.servers.add(master);
            int advertised = master.port();
            if (partitionable) {
                deployment.proxy = TcpProxy.to(master.host(), master.port());
                advertised = deployment.proxy.port();
            }
            for (int i = 0; i < 2; i++) {
                deployment.servers
                    .add(RedisServer.start("--replicaof", master.host(), Integer.toString(advertised)));
            }
            deployment.awaitReplicas(master, 2, Duration.ofSeconds(30));
            for (int i = 0; i < 3; i++) {
                deployment.sentinels.add(RedisServer.startSentinel(List.of(
                        "sentinel monitor " + MASTER_NAME + " " + master.host() + " " + advertised + " 2",
                        "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER.toMillis(),
                        "sentinel failover-timeout " + MASTER_NAME + " 5000",
                        "sentinel parallel-syncs " + MASTER_NAME + " 2")));
            }
            deployment.awaitSentinelsReady(Duration.ofSeconds(30));
            return deployment;
        }
        catch (RuntimeException ex) {
            deployment.close();
            throw ex;
        }
    }

    /** @return the Sentinels' {@code host:port}, comma separated ({@code spring.data.redis.sentinel.nodes}) */
    public String nodes() {
        return String.join(",", this.sentinels.stream().map(s -> s.host() + ":" + s.port()).toList());
    }

    /** @return the Sentinels */
    public List<RedisServer> sentinels() {
        return List.copyOf(this.sentinels);
    }

    /** @return the data nodes (the first was the master at start) */
    public List<RedisServer> servers() {
        return List.copyOf(this.servers);
    }

    /** @return the master the Sentinels name now (asked of the first Sentinel that answers) */
    public RedisServer master() {
        int port = masterPort();
        return this.servers.stream().filter(server -> server.port() == port).findFirst()
            .orElseThrow(() -> new IllegalStateException("the Sentinels name an unknown master on port " + port));
    }

    /** @return the port of the master the Sentinels name now */
    public int masterPort() {
        IllegalStateException failure = null;
        for (RedisServer sentinel : this.sentinels) {
            if (!sentinel.isRunning()) {
                continue;
            }
            try {
                List<?> address = (List<?>) sentinel.call("SENTINEL", "get-master-addr-by-name", MASTER_NAME);
                return Integer.parseInt((String) address.get(1));
            }
            catch (IllegalStateException ex) {
                failure = ex;
            }
        }
        throw new IllegalStateException("no Sentinel answered", failure);
    }

    /**
     * Kills the master (SIGKILL): its connections close at once; the Sentinels promote a replica after
     * {@link #DOWN_AFTER} and an election.
     * @return the killed master
     */
    public RedisServer killMaster() {
        RedisServer master = master();
        master.stop();
        return master;
    }

    /**
     * Freezes the master (SIGSTOP): its connections stay open and nothing answers; {@link RedisServer#resume()}
     * thaws it, after which the Sentinels turn it into a replica of the new master.
     * @return the frozen master
     */
    public RedisServer pauseMaster() {
        RedisServer master = master();
        master.pause();
        return master;
    }

    /**
     * Waits until every running Sentinel names a master other than {@code old}, that master answers as a master,
     * and it has {@code replicas} replicas online.
     * @param old the master before the failover
     * @param replicas how many replicas the new master must have online (0 not to wait for them)
     * @param limit how long to wait
     * @return the new master
     */
    public RedisServer awaitPromotion(RedisServer old, int replicas, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            RedisServer promoted = promotedOrNull(old);
            if (promoted != null) {
                awaitReplicas(promoted, replicas, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                return promoted;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Sentinels did not promote a replica of the master on port "
                        + old.port() + " within " + limit + "; see " + this.sentinels.get(0).logFile());
            }
            RedisCluster.sleep(50);
        }
    }

    private RedisServer promotedOrNull(RedisServer old) {
        Integer named = null;
        for (RedisServer sentinel : this.sentinels) {
            if (!sentinel.isRunning()) {
                continue;
            }
            try {
                List<?> address = (List<?>) sentinel.call("SENTINEL", "get-master-addr-by-name", MASTER_NAME);
                int port = Integer.parseInt((String) address.get(1));
                if (port == old.port() || (this.proxy != null && port == this.proxy.port())
                        || (named != null && named != port)) {
                    return null;
                }
                named = port;
            }
            catch (IllegalStateException ex) {
                return null;
            }
        }
        int port = named;
        RedisServer promoted = this.servers.stream().filter(server -> server.port() == port).findFirst()
            .orElse(null);
        try {
            return (promoted != null && "master".equals(promoted.info("replication", "role"))) ? promoted : null;
        }
        catch (IllegalStateException ex) {
            return null;
        }
    }

    /**
     * Waits until {@code master} counts {@code replicas} replicas online.
     * @param master the master
     * @param replicas how many
     * @param limit how long to wait
     */
    public void awaitReplicas(RedisServer master, int replicas, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                String connected = master.info("replication", "connected_slaves");
                if (connected != null && Integer.parseInt(connected) >= replicas) {
                    return;
                }
            }
            catch (IllegalStateException ex) {
                // not answering yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("master on port " + master.port() + " did not have " + replicas
                        + " replicas online within " + limit);
            }
            RedisCluster.sleep(50);
        }
    }

    /** Waits until every Sentinel knows the master, both replicas and the two other Sentinels. */
    private void awaitSentinelsReady(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (RedisServer sentinel : this.sentinels) {
            while (true) {
                Map<String, String> state = masterState(sentinel);
                if ("2".equals(state.get("num-slaves")) && "2".equals(state.get("num-other-sentinels"))) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Sentinel on port " + sentinel.port() + " did not discover the "
                            + "replicas and the other Sentinels within " + limit + ": " + state + "; see "
                            + sentinel.logFile());
                }
                RedisCluster.sleep(100);
            }
        }
    }

    private static Map<String, String> masterState(RedisServer sentinel) {
        Map<String, String> state = new HashMap<>();
        try {
            List<?> fields = (List<?>) sentinel.call("SENTINEL", "master", MASTER_NAME);
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                state.put(String.valueOf(fields.get(i)), String.valueOf(fields.get(i + 1)));
            }
        }
        catch (IllegalStateException ex) {
            // not answering yet
        }
        return state;
    }

    /** Stops every Sentinel and data node (thawing paused ones first is unnecessary: SIGKILL ends them). */
    @Override
    public void close() {
        this.sentinels.forEach(RedisServer::stop);
        this.servers.forEach(RedisServer::stop);
        if (this.proxy != null) {
            this.proxy.close();
        }
    }
}
