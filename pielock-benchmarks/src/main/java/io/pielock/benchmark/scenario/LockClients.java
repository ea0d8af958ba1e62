package io.pielock.benchmark.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pielock.benchmark.contender.Contenders;
import io.pielock.benchmark.contender.LockClient;
import io.pielock.benchmark.contender.LockContender;
import io.pielock.benchmark.contender.RedisEndpoint;

/**
 * One client per lock contender in this process, connected on first use and shared by the in-process lock
 * scenarios, as an application keeps one client for its lifetime.
 */
public final class LockClients implements AutoCloseable {

    private final RedisEndpoint redis;

    private final Map<String, LockClient> clients = new LinkedHashMap<>();

    /**
     * @param redis where Redis listens
     */
    public LockClients(RedisEndpoint redis) {
        this.redis = redis;
    }

    /** @return the contenders' names, the floor first */
    public List<String> names() {
        return Contenders.locks().stream().map(LockContender::name).toList();
    }

    /**
     * @param name a contender's name
     * @return its client in this process
     */
    public synchronized LockClient get(String name) {
        return this.clients.computeIfAbsent(name, key -> Contenders.lock(key).connect(this.redis));
    }

    @Override
    public synchronized void close() {
        this.clients.values().forEach(LockClient::close);
        this.clients.clear();
    }
}
