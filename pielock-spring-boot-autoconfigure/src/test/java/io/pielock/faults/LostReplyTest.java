package io.pielock.faults;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.lock.LockOptions;
import io.pielock.lock.LockResult;
import io.pielock.lock.LockTemplate;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.test.RedisServer;
import io.pielock.test.TcpProxy;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command reaches Redis and runs, but the connection breaks before its reply arrives. Lettuce reconnects
 * and sends the unanswered command again (at-least-once), so Redis runs the acquisition twice with one owner
 * token.
 */
class LostReplyTest {

    private static RedisServer redis;

    private static TcpProxy proxy;

    private static LettuceConnectionFactory connections;

    private static RedisLockStore store;

    @BeforeAll
    static void connectThroughAProxy() {
        redis = RedisServer.start();
        proxy = TcpProxy.to(redis.host(), redis.port());
        connections = TestRedis.connectionFactory(redis.host(), proxy.port(), Duration.ofSeconds(5));
        store = new RedisLockStore(connections, new RedisKeys("pielock:"));
    }

    @AfterAll
    static void close() throws Exception {
        store.destroy();
        connections.destroy();
        proxy.close();
        redis.stop();
    }

    @Test
    void anAcquisitionRetriedAfterItsReplyWasLostGetsTheLockItAlreadyTook() {
        try (LockTemplate template = new LockTemplate(store, LockOptions.defaults())) {
            assertThat(template.tryAcquire("warm-up").acquired()).isTrue();
            proxy.loseReplyToNextRequestContaining("lost-reply");

            LockResult result = template.tryAcquire("lost-reply");

            assertThat(proxy.replyLost()).as("the fault fired").isTrue();
            assertThat(result.acquired()).as("not locked out by its own lock: %s", result.message()).isTrue();
            assertThat(result.fencingToken()).as("the token issued by the first run")
                .isEqualTo(Long.parseLong((String) redis.call("GET", "pielock:fence:{lost-reply}")));
            assertThat(template.release("lost-reply").released()).isTrue();
            assertThat(redis.call("EXISTS", "pielock:lock:{lost-reply}")).isEqualTo(0L);
        }
    }

    @Test
    void anAcquisitionWhoseConnectionIsResetInFlightIsSentAgainAndGetsTheLockItAlreadyTook() {
        try (LockTemplate template = new LockTemplate(store, LockOptions.defaults())) {
            assertThat(template.tryAcquire("warm-up-reset").acquired()).isTrue();
            // as when a failover kills the old master's connections: Lettuce fails the command in flight with the
            // I/O error instead of sending it again, though Redis ran it
            proxy.resetConnectionAfterNextRequestContaining("reset-in-flight");

            LockResult result = template.tryAcquire("reset-in-flight");

            assertThat(proxy.replyLost()).as("the fault fired").isTrue();
            assertThat(result.acquired()).as("not failed, nor locked out by its own lock: %s", result.message())
                .isTrue();
            assertThat(result.fencingToken()).as("the token issued by the first run")
                .isEqualTo(Long.parseLong((String) redis.call("GET", "pielock:fence:{reset-in-flight}")));
            assertThat(template.release("reset-in-flight").released()).isTrue();
            assertThat(redis.call("EXISTS", "pielock:lock:{reset-in-flight}")).isEqualTo(0L);
        }
    }
}
