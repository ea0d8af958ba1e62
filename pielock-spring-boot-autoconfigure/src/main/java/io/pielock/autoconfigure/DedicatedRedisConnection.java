package io.pielock.autoconfigure;

import java.time.Duration;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * pielock's own Redis connection, built from {@code pielock.redis.*} when {@code pielock.redis.host} is set
 * (the original pie-lock's {@code get_client(host, port, username, password)}). Kept out of the application's
 * {@code RedisConnectionFactory} beans so it never replaces them. Connects lazily, on first use.
 */
public final class DedicatedRedisConnection implements DisposableBean {

    /** The longest command timeout accepted for {@code pielock.redis.timeout}. */
    static final Duration MAX_TIMEOUT = Duration.ofDays(1);

    private final LettuceConnectionFactory connectionFactory;

    DedicatedRedisConnection(PielockProperties.Redis properties) {
        validate(properties);
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(properties.getHost(),
                properties.getPort());
        server.setDatabase(properties.getDatabase());
        if (properties.getUsername() != null) {
            server.setUsername(properties.getUsername());
        }
        if (properties.getPassword() != null) {
            server.setPassword(RedisPassword.of(properties.getPassword()));
        }
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
            .commandTimeout(properties.getTimeout())
            .build();
        this.connectionFactory = new LettuceConnectionFactory(server, client);
        this.connectionFactory.afterPropertiesSet();
        this.connectionFactory.start();
    }

    /** Refuses, at startup, what could only fail later, at the first lock or limit. */
    private static void validate(PielockProperties.Redis properties) {
        if (properties.getPort() < 1 || properties.getPort() > 65_535) {
            throw new InvalidPielockPropertyException("pielock.redis.port",
                    "must be 1 to 65535, but was " + properties.getPort() + " (default 6379)", null);
        }
        if (properties.getDatabase() < 0) {
            throw new InvalidPielockPropertyException("pielock.redis.database",
                    "must be 0 or positive, but was " + properties.getDatabase() + " (default 0)", null);
        }
        Duration timeout = properties.getTimeout();
        if (timeout == null || timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new InvalidPielockPropertyException("pielock.redis.timeout",
                    "must be 1ms to 1d, but was " + timeout + " (default 2s)", null);
        }
    }

    /** @return the connection factory */
    public LettuceConnectionFactory getConnectionFactory() {
        return this.connectionFactory;
    }

    @Override
    public void destroy() {
        this.connectionFactory.destroy();
    }
}
