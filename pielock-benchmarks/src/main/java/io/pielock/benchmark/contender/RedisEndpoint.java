package io.pielock.benchmark.contender;

/**
 * Where the Redis under test listens.
 * @param host its host
 * @param port its port
 */
public record RedisEndpoint(String host, int port) {

    /** @return a {@code redis://} URI, as Redisson and Lettuce take it */
    public String uri() {
        return "redis://" + this.host + ":" + this.port;
    }
}
