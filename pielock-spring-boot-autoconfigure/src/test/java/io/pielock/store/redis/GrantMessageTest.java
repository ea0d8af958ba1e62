package io.pielock.store.redis;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.pielock.store.redis.RedisLockStore.Grant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The message a release publishes when it passes the lock to a waiting process ({@code lock-queue.lua}):
 * {@code grant <fencing token> <lease in ms> <owner token>}. Anything else on the channel (a plain
 * {@code release}, or a garbled message) is not a grant, so nobody takes a lock on its word.
 */
class GrantMessageTest {

    @Test
    void aGrantGivesTheFencingTokenTheLeaseAndTheOwnerTokenWhichMayHoldSpaces() {
        assertThat(parse("grant 1764633600123456 30000 9f2c:17")).isEqualTo(new Grant(1764633600123456L, 30000,
                "9f2c:17"));
        assertThat(parse("grant 7 1 owner with spaces")).isEqualTo(new Grant(7, 1, "owner with spaces"));
        assertThat(parse("grant 1 2 x")).isEqualTo(new Grant(1, 2, "x"));
    }

    @Test
    void numbersOfUpToNineteenDigitsAreRead() {
        assertThat(parse("grant 1000000000000000000 2 x")).isEqualTo(new Grant(1_000_000_000_000_000_000L, 2, "x"));
        assertThat(parse("grant 10000000000000000000 2 x")).as("twenty digits").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "release", "grant", "grant ", "grant 1", "grant 1 ", "grant 1 2", "grant 1 2 ",
            "grant  1 2 x", "grant 1  2 x", "grant x 2 y", "grant 1 -2 y", "grant 1 2x y", "Grant 1 2 x",
            "grants 1 2 x", "grand 1 2 x" })
    void anythingElseIsNotAGrant(String message) {
        assertThat(parse(message)).as("'%s'", message).isNull();
    }

    @Test
    void noMessageIsNotAGrant() {
        assertThat(Grant.parse(null)).isNull();
    }

    private static Grant parse(String message) {
        return Grant.parse(message.getBytes(StandardCharsets.UTF_8));
    }
}
