package io.pielock.limiter;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import io.pielock.store.redis.ReactiveRedisRateLimitStore;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisRateLimitStore;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive rate limit specification against a real Redis (each "process" has its own connections), plus what
 * only Redis can show: the blocking store's keys, a script flushed from the server, and an unreachable server.
 */
class ReactiveRedisLimiterTest extends AbstractReactiveLimiterContractTest {

    static final RedisKeys KEYS = new RedisKeys("pielock:");

    private final List<LettuceConnectionFactory> connections = new ArrayList<>();

    @AfterEach
    void closeConnections() {
        this.connections.forEach(LettuceConnectionFactory::destroy);
    }

    @Override
    protected ReactiveRateLimitStore newStore() {
        return new ReactiveRedisRateLimitStore(connect(), KEYS);
    }

    @Override
    protected RateLimitStore newBlockingStore() {
        return new RedisRateLimitStore(connect(), KEYS);
    }

    /** @return a started connection factory for the Redis under test, closed after each test */
    protected final LettuceConnectionFactory connect() {
        LettuceConnectionFactory factory = newConnectionFactory();
        this.connections.add(factory);
        return factory;
    }

    /** @return a started connection factory for the Redis under test */
    protected LettuceConnectionFactory newConnectionFactory() {
        return TestRedis.connectionFactory();
    }

    @Test
    void callsAreCountedInTheBlockingStoresKeyWhichExpiresAfterTheWindow() {
        newProcess().allow(this.key, TimeUnit.MINUTE, 2).subscribeOn(Schedulers.parallel()).block();
        StringRedisTemplate redis = new StringRedisTemplate(connect());
        String ringKey = "pielock:limit:{" + this.key + "}:60000ms:sliding";
        assertThat(redis.getExpire(ringKey, java.util.concurrent.TimeUnit.MILLISECONDS)).isBetween(1L, 60_000L);
    }

    @Test
    void scriptsFlushedFromTheServerAreSentAgain() {
        ReactiveLimiter limiter = newProcess();
        assertThat(limiter.allow(this.key, TimeUnit.MINUTE, 3).block().remaining()).isEqualTo(2);
        flushScripts();
        assertThat(limiter.allow(this.key, TimeUnit.MINUTE, 3).subscribeOn(Schedulers.parallel()).block().remaining())
            .isEqualTo(1);
    }

    /** Empties every server's script cache. */
    protected void flushScripts() {
        new StringRedisTemplate(connect()).execute((org.springframework.data.redis.core.RedisCallback<Object>) c -> {
            c.scriptingCommands().scriptFlush();
            return null;
        });
    }

    @Test
    void anUnreachableRedisIsAnErrorSignalWhenFailingClosed() throws IOException {
        ReactiveLimiter limiter = new ReactiveLimiter(unreachableStore(), false);
        StepVerifier.create(limiter.allow(this.key, TimeUnit.MINUTE, 2).subscribeOn(Schedulers.parallel()))
            .expectErrorSatisfies(ex -> assertThat(ex).isInstanceOf(LimiterUnavailableException.class)
                .hasMessageStartingWith("Could not check rate limit key: " + this.key)
                .hasCauseInstanceOf(RuntimeException.class))
            .verify(Duration.ofSeconds(30));
    }

    @Test
    void anUnreachableRedisAllowsCallsUncheckedWhenFailingOpen() throws IOException {
        ReactiveLimiter limiter = new ReactiveLimiter(unreachableStore(), true);
        for (int i = 0; i < 3; i++) {
            LimitResult result = limiter.allow(this.key, TimeUnit.MINUTE, 2).subscribeOn(Schedulers.parallel())
                .block(Duration.ofSeconds(30));
            assertThat(result.allowed()).isTrue();
            assertThat(result.message()).startsWith("Allowed without a rate limit check key: " + this.key);
        }
        assertThat(limiter.getFailOpenCount()).isEqualTo(3);
    }

    private ReactiveRedisRateLimitStore unreachableStore() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        LettuceConnectionFactory factory = TestRedis.connectionFactory("127.0.0.1", port, Duration.ofSeconds(2));
        this.connections.add(factory);
        return new ReactiveRedisRateLimitStore(factory, KEYS);
    }
}
