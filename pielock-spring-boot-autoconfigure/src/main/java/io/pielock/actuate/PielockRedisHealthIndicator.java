package io.pielock.actuate;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Health of pielock's own Redis connection ({@code pielock.redis.*}): up when Redis answers a {@code PING}.
 * Registered only for that connection; when pielock uses the application's Redis, Boot's {@code redis} health
 * indicator already covers it.
 */
public class PielockRedisHealthIndicator extends AbstractHealthIndicator {

    private final RedisConnectionFactory connectionFactory;

    private final String description;

    /**
     * @param connectionFactory pielock's dedicated connections
     * @param description where they go, for the health details: for example {@code "Redis at localhost:6380"}
     *        (never credentials)
     */
    public PielockRedisHealthIndicator(RedisConnectionFactory connectionFactory, String description) {
        super("pielock's Redis health check failed");
        this.connectionFactory = connectionFactory;
        this.description = description;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("store", this.description);
        try (RedisConnection connection = this.connectionFactory.getConnection()) {
            String reply = connection.ping();
            if ("PONG".equalsIgnoreCase(reply)) {
                builder.up();
            }
            else {
                builder.down().withDetail("ping", String.valueOf(reply));
            }
        }
    }
}
