package io.pielock.benchmark.contender;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** A Redisson client on one server, configured only with its address, as its quick start shows. */
final class RedissonClients {

    private RedissonClients() {
    }

    static RedissonClient create(RedisEndpoint redis) {
        Config config = new Config();
        config.useSingleServer().setAddress(redis.uri());
        return Redisson.create(config);
    }
}
