package io.pielock.store.redis;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.netty.channel.ConnectTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures of an acquisition the Redis store calls transient ({@code LockTemplate} sends those again with
 * the same owner token): a connection that broke while the call was in flight, or an acquisition undone for want
 * of replica acknowledgements; never a failure to connect or a timeout, whatever else the chain of causes holds.
 * The exceptions are the ones Spring Data Redis and Lettuce throw, built here as they wrap each other.
 */
class RedisLockStoreTransientFailuresTest {

    private final LettuceConnectionFactory factory = TestRedis.connectionFactory();

    private final RedisLockStore store = new RedisLockStore(this.factory, new RedisKeys("pielock:"));

    @AfterEach
    void close() throws Exception {
        this.store.destroy();
        this.factory.destroy();
    }

    @Test
    void aConnectionClosedWhileTheCallWasInFlightIsTransient() {
        assertThat(this.store.isTransient(new RedisSystemException("Redis exception",
                new RedisException("Connection closed")))).isTrue();
    }

    @Test
    void aConnectionResetWhileTheCallWasInFlightIsTransient() {
        assertThat(this.store.isTransient(new RedisSystemException("Redis exception",
                new RedisException("java.io.IOException: Connection reset by peer")))).isTrue();
    }

    @Test
    void anIoFailureAnywhereInTheCausesIsTransient() {
        assertThat(this.store.isTransient(new RedisSystemException("Redis exception",
                new RedisException("broken", new IOException("Broken pipe"))))).isTrue();
    }

    @Test
    void anAcquisitionUndoneForWantOfReplicaAcknowledgementsIsTransient() {
        assertThat(this.store.isTransient(new ReplicaAcknowledgementException("orders:42", 0, 1, 100))).isTrue();
    }

    @Test
    void aFailureToConnectIsNotTransientEvenWhenAnIoFailureWrapsIt() {
        RedisConnectionFailureException refused = new RedisConnectionFailureException("Unable to connect",
                new RedisConnectionException("Unable to connect to localhost:1",
                        new IOException("wrapped", new ConnectException("Connection refused"))));
        assertThat(this.store.isTransient(refused)).isFalse();
    }

    @Test
    void aConnectTimeoutIsNotTransient() {
        assertThat(this.store.isTransient(new RedisConnectionFailureException("Unable to connect",
                new RedisConnectionException("Connection closed", new ConnectTimeoutException("timed out")))))
            .isFalse();
    }

    @Test
    void aCommandTimeoutIsNotTransientThoughItsConnectionWasClosed() {
        assertThat(this.store.isTransient(new RedisSystemException("Redis exception", new RedisException(
                "Connection closed", new RedisCommandTimeoutException("Command timed out after 1 second(s)")))))
            .isFalse();
        assertThat(this.store.isTransient(new RedisSystemException("Redis exception",
                new RedisException("Connection closed", new TimeoutException())))).isFalse();
    }

    @Test
    void aConnectionClosedMessageOutsideLettuceOrAnyOtherFailureIsNotTransient() {
        assertThat(this.store.isTransient(new IllegalStateException("Connection closed"))).isFalse();
        assertThat(this.store.isTransient(new RedisSystemException("ERR unknown command", new RedisException(
                "ERR unknown command")))).isFalse();
        assertThat(this.store.isTransient(new RedisSystemException("no message", new RedisException((String) null))))
            .isFalse();
    }
}
