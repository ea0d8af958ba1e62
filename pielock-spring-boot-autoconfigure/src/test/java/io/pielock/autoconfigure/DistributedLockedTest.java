package io.pielock.autoconfigure;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pielock.autoconfigure.LockedBeans.Contended;
import io.pielock.autoconfigure.LockedBeans.KeyEcho;
import io.pielock.autoconfigure.LockedBeans.KeyFormatter;
import io.pielock.autoconfigure.LockedBeans.Order;
import io.pielock.autoconfigure.LockedBeans.Reentrant;
import io.pielock.autoconfigure.LockedBeans.Region;
import io.pielock.lock.LockAcquisitionException;
import io.pielock.lock.LockAcquisitionException.Reason;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockTemplate;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code @DistributedLocked} on real beans in a real application context, locking in a real Redis. */
class DistributedLockedTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
                PielockAutoConfiguration.class))
        .withPropertyValues(TestRedis.endpoint().springProperties())
        .withBean(KeyEcho.class)
        .withBean("keyFormatter", KeyFormatter.class)
        .withBean(Contended.class)
        .withBean(Reentrant.class);

    @Test
    void keyExpressionsCanUseParameterNamesPositionsRootBeansAndLiterals() {
        this.runner.run(context -> {
            KeyEcho echo = context.getBean(KeyEcho.class);
            assertThat(echo.byParameterName(new Order("o-1", 2))).isEqualTo("o-1");
            assertThat(echo.byPosition("a", 7)).isEqualTo("a:7");
            assertThat(echo.byRoot()).isEqualTo("byRoot@KeyEcho");
            assertThat(echo.byBeanReference("x")).isEqualTo("formatted:x");
            assertThat(echo.byLiteral()).isEqualTo("nightly-report");
            assertThat(echo.withPrefix(42)).isEqualTo("orders:42");
        });
    }

    @Test
    void keyExpressionsKeepEvaluatingPerCallOnceCompiled() {
        this.runner.withPropertyValues("pielock.store=memory").run(context -> {
            KeyEcho echo = context.getBean(KeyEcho.class);
            for (int i = 0; i < 300; i++) {
                assertThat(echo.byParameterName(new Order("o-" + i, i))).isEqualTo("o-" + i);
                assertThat(echo.byPosition("p", i)).isEqualTo("p:" + i);
            }
        });
    }

    @Test
    void keyValuesOfCommonTypesBecomeText() {
        this.runner.run(context -> {
            KeyEcho echo = context.getBean(KeyEcho.class);
            UUID id = UUID.randomUUID();
            assertThat(echo.byUuid(id)).isEqualTo(id.toString());
            assertThat(echo.byEnum(Region.EU)).isEqualTo("EU");
            assertThat(echo.byRecord(new Order("o-2", 1))).isEqualTo("Order[id=o-2, quantity=1]");
        });
    }

    @Test
    void keyArgumentsThatLookLikeExpressionsAreUsedLiterally() {
        this.runner.run(context -> {
            KeyEcho echo = context.getBean(KeyEcho.class);
            assertThat(echo.literally("#{T(java.lang.Runtime).getRuntime()}"))
                .isEqualTo("#{T(java.lang.Runtime).getRuntime()}");
            assertThat(echo.literally("${user.home}")).isEqualTo("${user.home}");
        });
    }

    @Test
    void keysThatWouldNotNameAResourceAreRejectedNamingTheMethodAndExpression() {
        this.runner.run(context -> {
            KeyEcho echo = context.getBean(KeyEcho.class);
            assertThatIllegalArgumentException().isThrownBy(() -> echo.byNullable(null))
                .withMessageContaining("\"#id\"")
                .withMessageContaining("KeyEcho.byNullable(String)")
                .withMessageContaining("null");
            assertThatIllegalArgumentException().isThrownBy(() -> echo.byNullable("  "))
                .withMessageContaining("blank");
            assertThatIllegalArgumentException().isThrownBy(() -> echo.byCollection(List.of("a", "b")))
                .withMessageContaining("byCollection");
            assertThatIllegalArgumentException().isThrownBy(() -> echo.byPlainObject(new Object()))
                .withMessageContaining("does not override toString()");
        });
    }

    @Test
    void contendedCallWithoutFallbackThrowsNamingKeyMethodAndReason() {
        this.runner.run(context -> {
            String key = "contended:" + UUID.randomUUID();
            holdElsewhere(key);
            assertThatThrownBy(() -> context.getBean(Contended.class).noFallback(key))
                .isInstanceOfSatisfying(LockAcquisitionException.class, ex -> {
                    assertThat(ex.getReason()).isEqualTo(Reason.HELD_ELSEWHERE);
                    assertThat(ex.getMethod().getName()).isEqualTo("noFallback");
                })
                .hasMessageContaining(key)
                .hasMessageContaining("Contended.noFallback()")
                .hasMessageContaining("held by another process");
        });
    }

    @Test
    void contendedCallReturnsTheFallbacksResult() {
        this.runner.run(context -> {
            String key = "contended:" + UUID.randomUUID();
            holdElsewhere(key);
            assertThat(context.getBean(Contended.class).withFallback(key)).isEqualTo("busy:" + key);
        });
    }

    @Test
    void fallbackMayTakeTheExceptionAsLastParameter() {
        this.runner.run(context -> {
            String key = "contended:" + UUID.randomUUID();
            holdElsewhere(key);
            assertThat(context.getBean(Contended.class).withFallbackTakingTheException(key))
                .isEqualTo("HELD_ELSEWHERE:withFallbackTakingTheException");
        });
    }

    @Test
    void annotationTriesAreHonoured() {
        this.runner.run(context -> {
            String key = "contended:" + UUID.randomUUID();
            holdElsewhere(key);
            assertThatThrownBy(() -> context.getBean(Contended.class).fewTries(key))
                .isInstanceOfSatisfying(LockAcquisitionException.class,
                        ex -> assertThat(ex.getReason()).isIn(Reason.TRIES_EXHAUSTED, Reason.TIMEOUT));
        });
    }

    @Test
    void uncontendedCallRunsTheMethodAndReleases() {
        this.runner.run(context -> {
            String key = "free:" + UUID.randomUUID();
            assertThat(context.getBean(Contended.class).noFallback(key)).isEqualTo("ran");
            assertThat(otherProcess().tryAcquire(key).acquired()).isTrue();
        });
    }

    @Test
    void nestedCallsOnTheSameKeyAreReentrant() {
        this.runner.run(context -> {
            Reentrant reentrant = context.getBean(Reentrant.class);
            reentrant.setSelf(reentrant);
            String key = "nested:" + UUID.randomUUID();
            assertThat(reentrant.outer(key)).isPositive();
            assertThat(otherProcess().tryAcquire(key).acquired()).as("released after the outer call").isTrue();
        });
    }

    @Test
    void aNonReentrantMethodCalledAgainByItsHolderFailsAtOnce() {
        this.runner.run(context -> {
            Reentrant reentrant = context.getBean(Reentrant.class);
            reentrant.setSelf(reentrant);
            String key = "recursive:" + UUID.randomUUID();
            assertThat(reentrant.recurse(key, 0)).as("a call that does not nest runs").isZero();
            long start = System.nanoTime();
            assertThatThrownBy(() -> reentrant.recurse(key, 1))
                .isInstanceOfSatisfying(LockAcquisitionException.class,
                        ex -> assertThat(ex.getReason()).isEqualTo(Reason.ALREADY_HELD))
                .hasMessageContaining(key)
                .hasMessageContaining("Reentrant.recurse()");
            assertThat(System.nanoTime() - start).as("not after its 30 s timeout").isLessThan(20_000_000_000L);
            assertThat(otherProcess().tryAcquire(key).acquired()).as("the outer call released it").isTrue();
        });
    }

    @Test
    void lockIsReleasedWhenTheMethodThrows() {
        this.runner.run(context -> {
            String key = "throws:" + UUID.randomUUID();
            assertThatThrownBy(() -> context.getBean(Reentrant.class).fails(key))
                .hasMessage("failed inside the lock");
            assertThat(otherProcess().tryAcquire(key).acquired()).isTrue();
        });
    }

    @Test
    void durationPlaceholdersAreResolved() {
        this.runner.withPropertyValues("test.lock.timeout=3s").run(context -> {
            String key = "placeholder:" + UUID.randomUUID();
            LockTemplate holder = otherProcess();
            holder.acquire(key);
            long start = System.nanoTime();
            assertThat(context.getBean(Contended.class).withFallback(key)).isEqualTo("busy:" + key);
            assertThat(System.nanoTime() - start).as("waited the 3 s timeout from the placeholder")
                .isGreaterThanOrEqualTo(3_000_000_000L);
        });
    }

    @Test
    void theLockTemplateBeanUsesTheConfiguredDefaults() {
        this.runner.withPropertyValues("pielock.lock.expires=7s", "pielock.lock.timeout=0", "pielock.lock.tries=2")
            .run(context -> assertThat(context.getBean(LockTemplate.class).defaults()).isEqualTo(
                    new LockOptions(java.time.Duration.ofSeconds(7), java.time.Duration.ZERO,
                            java.time.Duration.ofSeconds(1), 2, true)));
        this.runner.withPropertyValues("pielock.lock.reentrant=false")
            .run(context -> assertThat(context.getBean(LockTemplate.class).defaults())
                .isEqualTo(LockOptions.defaults().withReentrant(false)));
    }

    private static LockTemplate otherProcess() {
        return new LockTemplate(new RedisLockStore(TestRedis.connectionFactory(), new RedisKeys("pielock:")));
    }

    private static void holdElsewhere(String key) {
        assertThat(otherProcess().acquire(key).acquired()).isTrue();
    }
}
