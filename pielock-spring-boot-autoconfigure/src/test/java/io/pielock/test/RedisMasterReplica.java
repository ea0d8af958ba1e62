package io.pielock.test;

import java.time.Duration;

/**
 * A throwaway master with one replica ({@code --replicaof}), for tests of replica acknowledgement
 * ({@code WAIT}). Either process can be stopped, paused (still connected, but acknowledging nothing) and
 * resumed.
 */
public final class RedisMasterReplica implements AutoCloseable {

    private final RedisServer master;

    private final RedisServer replica;

    private RedisMasterReplica(RedisServer master, RedisServer replica) {
        this.master = master;
        this.replica = replica;
    }

    /** @return a master and a replica that has completed its first sync */
    public static RedisMasterReplica start() {
        RedisServer master = RedisServer.start();
        RedisServer replica = null;
        try {
            replica = RedisServer.start("--replicaof", master.host(), Integer.toString(master.port()));
            RedisMasterReplica pair = new RedisMasterReplica(master, replica);
            pair.awaitReplicaOnline(Duration.ofSeconds(30));
            return pair;
        }
        catch (RuntimeException ex) {
            master.stop();
            if (replica != null) {
                replica.stop();
            }
            throw ex;
        }
    }

    /** @return the master, which clients write to */
    public RedisServer master() {
        return this.master;
    }

    /** @return the replica */
    public RedisServer replica() {
        return this.replica;
    }

    /**
     * Waits until the replica is linked and the master counts it as online.
     * @param limit how long to wait
     */
    public void awaitReplicaOnline(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!"up".equals(this.replica.info("replication", "master_link_status"))
                || !"1".equals(this.master.info("replication", "connected_slaves"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("replica on port " + this.replica.port() + " did not sync with "
                        + "master on port " + this.master.port() + " within " + limit);
            }
            RedisCluster.sleep(20);
        }
    }

    /**
     * Waits until the master no longer counts the replica (after it was stopped).
     * @param limit how long to wait
     */
    public void awaitReplicaGone(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!"0".equals(this.master.info("replication", "connected_slaves"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("master on port " + this.master.port() + " still counts a replica "
                        + "after " + limit);
            }
            RedisCluster.sleep(20);
        }
    }

    @Override
    public void close() {
        this.replica.stop();
        this.master.stop();
    }
}
