package io.pielock.benchmark.contender;

import java.time.Duration;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Redis connections as a Spring Boot application gets them from {@code spring.data.redis.host/port} alone: a
 * {@link LettuceConnectionFactory} whose one native connection all threads share (Spring Data Redis's default),
 * with Boot's 100 ms shutdown timeout. pielock and Spring Integration run on it.
 */
public final class BootConnectionFactory {

    private BootConnectionFactory() {
    }

    /**
     * @param redis where Redis listens
     * @return a started factory (destroy it)
     */
    public static LettuceConnectionFactory connect(RedisEndpoint redis) {
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
            .shutdownTimeout(Duration.ofMillis(100))
            .build();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(redis.host(), redis.port()), client);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
