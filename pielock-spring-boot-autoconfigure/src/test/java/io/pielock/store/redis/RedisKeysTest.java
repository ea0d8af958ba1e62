package io.pielock.store.redis;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.pielock.limiter.Algorithm;
import io.pielock.limiter.Limit;
import io.pielock.limiter.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The Redis key names, as an operator sees them in {@code redis-cli}: literal texts, not derived from the code. */
class RedisKeysTest {

    private final RedisKeys keys = new RedisKeys("pielock:");

    @Test
    void eachKindOfKeyIsThePrefixTheKindAndTheNameInAHashTag() {
        assertThat(this.keys.lock("x")).isEqualTo("pielock:lock:{x}");
        assertThat(this.keys.fence("x")).isEqualTo("pielock:fence:{x}");
        assertThat(this.keys.queue("x")).isEqualTo("pielock:queue:{x}");
        assertThat(this.keys.limit("x")).isEqualTo("pielock:limit:{x}");
        assertThat(this.keys.releaseChannel("x")).isEqualTo("pielock:lock-released:{x}");
    }

    @Test
    void theKeysALockScriptIsSentAreTheBytesOfTheKeyNamesWhateverTheNameAndPrefix() {
        assertThat(this.keys.lockKeyBytes("x")).isDeepEqualTo(new byte[][] { utf8("pielock:lock:{x}"),
            utf8("pielock:fence:{x}"), utf8("pielock:queue:{x}") });
        assertThat(this.keys.releaseChannelBytes("x")).isEqualTo(utf8("pielock:lock-released:{x}"));
        for (RedisKeys keys : new RedisKeys[] { this.keys, new RedisKeys(""), new RedisKeys("appé:") }) {
            for (String name : new String[] { "", "orders:42", "a{b}c%7B", "zürich/東京", "emoji \uD83D\uDE00" }) {
                assertThat(keys.lockKeyBytes(name)).as(name).isDeepEqualTo(new byte[][] { utf8(keys.lock(name)),
                    utf8(keys.fence(name)), utf8(keys.queue(name)) });
                assertThat(keys.releaseChannelBytes(name)).as(name).isEqualTo(utf8(keys.releaseChannel(name)));
            }
        }
        assertThat(new String(new RedisKeys("appé:").lockKeyBytes("a{b")[0], StandardCharsets.UTF_8))
            .isEqualTo("appé:lock:{a%7Bb}");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aLimitsKeyNamesItsWindowInMillisecondsAndItsAlgorithm() {
        assertThat(this.keys.limit("mylist", Limit.of(2, TimeUnit.SECOND)))
            .isEqualTo("pielock:limit:{mylist}:1000ms:sliding");
        assertThat(this.keys.limit("mylist", Limit.of(2, TimeUnit.MINUTE, Algorithm.GCRA)))
            .isEqualTo("pielock:limit:{mylist}:60000ms:gcra");
    }

    @Test
    void theNamespaceIsWhateverPrefixIsGiven() {
        RedisKeys shop = new RedisKeys("shop:");
        assertThat(shop.lock("orders:42")).isEqualTo("shop:lock:{orders:42}");
        assertThat(new RedisKeys("").fence("x")).isEqualTo("fence:{x}");
    }

    @Test
    void bracesAndPercentSignsInANameAreEscapedSoTheHashTagCannotEndEarly() {
        assertThat(this.keys.lock("{")).isEqualTo("pielock:lock:{%7B}");
        assertThat(this.keys.lock("}")).isEqualTo("pielock:lock:{%7D}");
        assertThat(this.keys.lock("%")).isEqualTo("pielock:lock:{%25}");
        assertThat(this.keys.lock("a{b")).isEqualTo("pielock:lock:{a%7Bb}");
        assertThat(this.keys.fence("a}b")).isEqualTo("pielock:fence:{a%7Db}");
        assertThat(this.keys.queue("}{")).isEqualTo("pielock:queue:{%7D%7B}");
        assertThat(this.keys.limit("50%{off}")).isEqualTo("pielock:limit:{50%25%7Boff%7D}");
    }

    @Test
    void namesWithoutBracesOrPercentSignsAreKeptAsTheyAre() {
        assertThat(this.keys.lock("orders:42 #7 [a] (b) *?")).isEqualTo("pielock:lock:{orders:42 #7 [a] (b) *?}");
        assertThat(this.keys.lock("7B")).isEqualTo("pielock:lock:{7B}");
    }

    @Test
    void namesThatLookEscapedStayDistinctFromTheNamesTheyResemble() {
        assertThat(this.keys.lock("%7B")).isEqualTo("pielock:lock:{%257B}").isNotEqualTo(this.keys.lock("{"));
    }

    @Test
    void aPrefixWithBracesIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeys("pie{lock}:"))
            .withMessageContaining("must not contain '{' or '}'");
        assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeys("{pielock:"))
            .withMessage("key prefix must not contain '{' or '}' (they would break Redis Cluster hash tags), but was "
                    + "'{pielock:'");
        assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeys("}pielock:"))
            .withMessageContaining("but was '}pielock:'");
    }

    @Test
    void aNullPrefixIsRefusedSayingSo() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeys(null))
            .withMessage("key prefix must not be null");
    }
}
