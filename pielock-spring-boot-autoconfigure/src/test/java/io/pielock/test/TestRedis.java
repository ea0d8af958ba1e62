package io.pielock.test;

import java.net.URI;
import java.time.Duration;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * The Redis the test suite shares, provisioned once per JVM, in this order:
 * <ol>
 * <li>{@code PIELOCK_TEST_REDIS_URL} (e.g. {@code redis://127.0.0.1:6379}), when set: an explicit choice wins;</li>
 * <li>a throwaway {@code redis-server} on a free port, when the binary is on the PATH (the normal case, and
 * what {@code .ci/run} installs);</li>
 * <li>a Testcontainers {@code redis:7} container, when Docker is available.</li>
 * </ol>
 * Otherwise the tests fail, saying how to get a Redis. They never skip.
 */
public final class TestRedis {

    private static Endpoint shared;

    private TestRedis() {
    }

    /** Where a test Redis listens. */
    public record Endpoint(String host, int port, String description) {

        /** @return a {@code redis://} URL */
        public String url() {
            return "redis://" + this.host + ":" + this.port;
        }

        /** @return Spring Boot properties pointing {@code spring.data.redis} at it */
        public String[] springProperties() {
            return new String[] { "spring.data.redis.host=" + this.host, "spring.data.redis.port=" + this.port };
        }
    }

    /** @return the shared test Redis, started on first use */
    public static synchronized Endpoint endpoint() {
        if (shared == null) {
            shared = provision();
        }
        return shared;
    }

    /** @return a started connection factory for the shared test Redis (close it when done) */
    public static LettuceConnectionFactory connectionFactory() {
        Endpoint endpoint = endpoint();
        return connectionFactory(endpoint.host(), endpoint.port(), Duration.ofSeconds(5));
    }

    /**
     * @param host the host
     * @param port the port
     * @param timeout the command timeout
     * @return a started connection factory (close it when done)
     */
    public static LettuceConnectionFactory connectionFactory(String host, int port, Duration timeout) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port),
                LettuceClientConfiguration.builder().commandTimeout(timeout).build());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    private static Endpoint provision() {
        String url = System.getenv("PIELOCK_TEST_REDIS_URL");
        if (url != null && !url.isBlank()) {
            URI uri = URI.create(url.trim());
            return new Endpoint(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379, "PIELOCK_TEST_REDIS_URL");
        }
        if (RedisServer.binaryAvailable()) {
            RedisServer server = RedisServer.start();
            return new Endpoint(server.host(), server.port(), "throwaway redis-server on port " + server.port());
        }
        if (dockerAvailable()) {
            GenericContainer<?> container = new GenericContainer<>("redis:7").withExposedPorts(6379);
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new Endpoint(container.getHost(), container.getMappedPort(6379), "Testcontainers redis:7");
        }
        throw new IllegalStateException("No Redis for the tests: install redis-server (Debian: apt-get install "
                + "redis-server), or run Docker, or set PIELOCK_TEST_REDIS_URL=redis://host:port");
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (Throwable ex) {
            return false;
        }
    }
}
