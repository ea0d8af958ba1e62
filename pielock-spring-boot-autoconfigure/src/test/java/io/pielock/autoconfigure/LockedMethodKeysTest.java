package io.pielock.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.annotation.DistributedLocked;
import io.pielock.lock.LockContext;
import io.pielock.store.redis.RedisKeys;
import io.pielock.test.HostileKeys;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a {@code @DistributedLocked} key expression may evaluate to, and what becomes of it: one rule (see
 * {@code KeyExpressions}) for numbers, UUIDs, enums, records and collections, and argument text that looks
 * like an expression or a placeholder is only ever data.
 */
class LockedMethodKeysTest {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, AopAutoConfiguration.class,
                PielockAutoConfiguration.class))
        .withBean(KeyedJobs.class)
        .withBean(LockedJobs.class)
        .withPropertyValues(TestRedis.endpoint().springProperties());

    @Test
    void valuesBecomeKeysByOneRule() {
        UUID id = UUID.randomUUID();
        this.contextRunner.run(context -> {
            KeyedJobs jobs = context.getBean(KeyedJobs.class);
            assertThat(jobs.key(42L)).isEqualTo("42");
            assertThat(jobs.key(id)).isEqualTo(id.toString());
            assertThat(jobs.key(Region.EU)).as("an enum's name").isEqualTo("EU");
            assertThat(jobs.key(new OrderId(7))).as("a record's toString()").isEqualTo("OrderId[value=7]");
        });
    }

    @Test
    void collectionsNullAndOverlongValuesAreRejectedNamingTheMethodAndExpression() {
        this.contextRunner.run(context -> {
            KeyedJobs jobs = context.getBean(KeyedJobs.class);
            assertThatThrownBy(() -> jobs.key(List.of(1L, 2L))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"#value\"")
                .hasMessageContaining("KeyedJobs.key(")
                .hasMessageContaining("select one value, or join them explicitly");
            assertThatThrownBy(() -> jobs.key((Object) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("evaluated to null");
            assertThatThrownBy(() -> jobs.key("x".repeat(10 * 1024))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KeyedJobs.key(")
                .hasMessageContaining("evaluated to 10240 characters, more than the 1024");
        });
    }

    @Test
    void argumentsThatLookLikeExpressionsOrPlaceholdersAreUsedLiterally() throws Exception {
        Path marker = Files.createTempDirectory("pielock-").resolve("evaluated");
        this.contextRunner.run(context -> {
            StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
            LockedJobs jobs = context.getBean(LockedJobs.class);
            RedisKeys keys = new RedisKeys("pielock:");
            for (String literal : HostileKeys.expressionLookalikes(marker)) {
                assertThat(jobs.held(literal).key()).isEqualTo(literal);
                assertThat(jobs.run(literal, () -> redis.hasKey(keys.lock(literal)))).as("locked as '%s'", literal)
                    .isTrue();
            }
        });
        assertThat(marker).as("nothing was evaluated").doesNotExist();
    }

    enum Region {
        EU, US
    }

    record OrderId(long value) {
    }

    static class KeyedJobs {

        @DistributedLocked(key = "#value", timeout = "0")
        public String key(Object value) {
            return LockContext.current().key();
        }
    }
}
