package io.pielock.benchmark.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pielock.benchmark.contender.Contenders;
import io.pielock.benchmark.contender.LimiterClient;
import io.pielock.benchmark.contender.LimiterContender;
import io.pielock.benchmark.contender.RateLimit;
import io.pielock.benchmark.contender.RedisEndpoint;

/** One client per rate limiter contender for one limit, connected on first use and kept for a scenario's rounds. */
final class LimiterClients implements AutoCloseable {

    private final RedisEndpoint redis;

    private final RateLimit limit;

    private final Map<String, LimiterClient> clients = new LinkedHashMap<>();

    LimiterClients(RedisEndpoint redis, RateLimit limit) {
        this.redis = redis;
        this.limit = limit;
    }

    RateLimit limit() {
        return this.limit;
    }

    List<String> names() {
        return Contenders.limiters().stream().map(LimiterContender::name).toList();
    }

    LimiterContender contender(String name) {
        return Contenders.limiters().stream().filter(contender -> contender.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("No rate limiter contender named '" + name + "'"));
    }

    LimiterClient get(String name) {
        return this.clients.computeIfAbsent(name, key -> contender(key).connect(this.redis, this.limit));
    }

    @Override
    public void close() {
        this.clients.values().forEach(LimiterClient::close);
        this.clients.clear();
    }
}
