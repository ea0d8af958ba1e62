package io.pielock.autoconfigure;

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

    private final LettuceConnectionFactory connectionFactory;

    DedicatedRedisConnection(PielockProperties.Redis properties) {
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

    /** @return the connection factory */
    public LettuceConnectionFactory getConnectionFactory() {
        return this.connectionFactory;
    }

    @Override
    public void destroy() {
        this.connectionFactory.destroy();
    }
}
