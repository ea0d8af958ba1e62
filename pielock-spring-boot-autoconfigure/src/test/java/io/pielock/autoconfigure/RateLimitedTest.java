package io.pielock.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.annotation.DistributedLocked;
import io.pielock.annotation.RateLimited;
import io.pielock.interceptor.DistributedLockAdvisor;
import io.pielock.interceptor.RateLimitAdvisor;
import io.pielock.limiter.Algorithm;
import io.pielock.limiter.Limit;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.RateLimitExceededException;
import io.pielock.limiter.TimeUnit;
import io.pielock.lock.LockHandle;
import io.pielock.lock.LockTemplate;
import io.pielock.store.redis.RedisKeys;
import io.pielock.test.HostileKeys;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code @RateLimited} on a Spring bean, in a real application context over a real Redis. */
class RateLimitedTest {

    private final String prefix = "test-" + UUID.randomUUID() + ":";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, AopAutoConfiguration.class,
                PielockAutoConfiguration.class))
        .withPropertyValues(TestRedis.endpoint().springProperties())
        .withPropertyValues("pielock.key-prefix=" + this.prefix)
        .withBean(Api.class);

    @Test
    void keyExpressionLimitsEachEvaluatedKeySeparately() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            api.byUser("alice");
            api.byUser("alice");
            assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> api.byUser("alice"))
                .satisfies(ex -> assertThat(ex.getKey()).isEqualTo("user:alice"));
            assertThat(api.byUser("bob")).isEqualTo("bob");
            assertThat(api.calls()).isEqualTo(3);
        });
    }

    @Test
    void aCallWhoseConditionIsFalseIsNeitherCountedNorLimited() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            for (int i = 0; i < 5; i++) {
                assertThat(api.unlessInternal("ops", true)).isEqualTo("ops");
            }
            assertThat(redis(context).hasKey(this.prefix + "limit:{caller:ops}:60000ms:sliding"))
                .as("an internal call left nothing in Redis").isFalse();
            api.unlessInternal("ops", false);
            assertThatExceptionOfType(RateLimitExceededException.class)
                .isThrownBy(() -> api.unlessInternal("ops", false))
                .as("the one external call before it was the first counted");
            assertThat(api.unlessInternal("ops", true)).as("internal calls still pass once the limit is reached")
                .isEqualTo("ops");
            assertThat(api.calls()).isEqualTo(7);
        });
    }

    @Test
    void eachRepeatedLimitHasItsOwnCondition() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            api.perPlan("ann", "free");
            assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> api.perPlan("ann", "free"))
                .satisfies(ex -> assertThat(ex.getKey()).isEqualTo("free:ann"));
            for (int i = 0; i < 3; i++) {
                api.perPlan("bob", "pro");
            }
            assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> api.perPlan("bob", "pro"))
                .satisfies(ex -> assertThat(ex.getKey()).isEqualTo("pro:bob"));
            assertThat(redis(context).hasKey(this.prefix + "limit:{free:bob}:60000ms:sliding"))
                .as("the free limit never counted a pro call").isFalse();
        });
    }

    @Test
    void aConditionThatIsNotABooleanIsRejectedNamingTheMethodAndExpression() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> api.badCondition("x"))
                .withMessage("Condition \"#user\" of " + Api.class.getName()
                        + ".badCondition(String) evaluated to a java.lang.String, not a boolean");
        });
    }

    @Test
    void keyExpressionsReachParameterPropertiesAndBeans() {
        this.runner.withBean("tenant", Tenant.class, () -> new Tenant("acme")).run(context -> {
            Api api = context.getBean(Api.class);
            api.byOrder(new Order("o-1"));
            assertThat(redis(context).hasKey(this.prefix + "limit:{acme:o-1}:60000ms:sliding")).isTrue();
        });
    }

    @Test
    void keyExpressionYieldingNullIsRejectedNamingTheMethodAndExpression() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> api.byId(null))
                .withMessage("Key expression \"#id\" of " + Api.class.getName() + ".byId(String) evaluated to null");
        });
    }

    @Test
    void overlongKeyIsRejectedNamingTheMethodAndExpression() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> api.byId("x".repeat(2000)))
                .withMessage("Key expression \"#id\" of " + Api.class.getName() + ".byId(String) evaluated to 2000 "
                        + "characters, more than the 1024 a key may have; select an identifier such as #order.id");
        });
    }

    @Test
    void argumentsThatLookLikeExpressionsOrPlaceholdersAreUsedLiterally() throws Exception {
        Path marker = Files.createTempDirectory("pielock-").resolve("evaluated");
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            for (String literal : HostileKeys.expressionLookalikes(marker)) {
                api.byId(literal);
                String limitKey = new RedisKeys(this.prefix).limit(literal, Limit.of(5, TimeUnit.MINUTE));
                assertThat(redis(context).hasKey(limitKey))
                    .as("limited as '%s'", literal)
                    .isTrue();
            }
        });
        assertThat(marker).as("nothing was evaluated").doesNotExist();
    }

    @Test
    void windowAttributeTakesDurationTextWithPlaceholders() {
        this.runner.withPropertyValues("test.window=90m").run(context -> {
            context.getBean(Api.class).everyWindow();
            assertThat(redis(context).hasKey(this.prefix + "limit:{everyWindow}:5400000ms:sliding")).isTrue();
        });
    }

    @Test
    void algorithmAttributeCountsByGcraUnderItsOwnKey() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            for (int i = 0; i < 3; i++) {
                api.gcra();
            }
            assertThat(redis(context).hasKey(this.prefix + "limit:{gcra}:60000ms:gcra")).isTrue();
            assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(api::gcra)
                .withMessageStartingWith("Rate limit exceeded key: gcra for Api.gcra() (3 per 1m, GCRA); retry after ")
                .satisfies(ex -> assertThat(ex.getRetryAfter()).isPositive()
                    .isLessThanOrEqualTo(Duration.ofSeconds(20)));
        });
    }

    @Test
    void deniedCallThrowsNamingTheKeyTheMethodAndWhenToRetry() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            api.byUser("carol");
            api.byUser("carol");
            assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> api.byUser("carol"))
                .withMessageStartingWith(
                        "Rate limit exceeded key: user:carol for Api.byUser() (2 per 1m); retry after ")
                .satisfies(ex -> {
                    assertThat(ex.getMethod().getName()).isEqualTo("byUser");
                    assertThat(ex.getLimit()).isEqualTo(Limit.of(2, TimeUnit.MINUTE));
                    assertThat(ex.getRetryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
                });
        });
    }

    @Test
    void withoutAKeyTheMethodItselfIsTheKeySharedByAllCallers() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            String methodKey = Api.class.getName() + ".shared()";
            api.shared();
            assertThat(redis(context).hasKey(this.prefix + "limit:{" + methodKey + "}:60000ms:sliding")).isTrue();
            assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(api::shared)
                .satisfies(ex -> assertThat(ex.getKey()).isEqualTo(methodKey));
        });
    }

    @Test
    void deniedCallRunsTheFallbackInsteadOfTheMethod() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            assertThat(api.withFallback("dave")).isEqualTo("served dave");
            assertThat(api.withFallback("dave")).startsWith("busy dave: Rate limit exceeded key: Api.withFallback");
            assertThat(api.calls()).isEqualTo(1);
        });
    }

    @Test
    void repeatedLimitsOnOneKeyMustAllAdmitAndADeniedCallIsCountedByNone() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            api.repeated();
            for (int i = 0; i < 3; i++) {
                assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(api::repeated)
                    .satisfies(ex -> assertThat(ex.getLimit()).isEqualTo(Limit.of(1, TimeUnit.MINUTE)));
            }
            Limiter limiter = context.getBean(Limiter.class);
            assertThat(limiter.allow("Api.repeated", TimeUnit.HOUR, 3).remaining())
                .as("only the allowed call counted per hour").isEqualTo(1);
        });
    }

    @Test
    void repeatedLimitsOnDifferentKeysTakeADeniedCallBack() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            api.perUserAndGlobal("erin");
            assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> api.perUserAndGlobal("fred"))
                .satisfies(ex -> assertThat(ex.getKey()).isEqualTo("global"));
            Limiter limiter = context.getBean(Limiter.class);
            assertThat(limiter.allow("user:fred", TimeUnit.MINUTE, 5).remaining())
                .as("fred's denied call was taken back from his own limit").isEqualTo(4);
        });
    }

    @Test
    void deniedCallFailsAtOnceInsteadOfWaitingForALockItWouldTake() {
        this.runner.run(context -> {
            Api api = context.getBean(Api.class);
            assertThat(context.getBean(RateLimitAdvisor.class).getOrder())
                .isLessThan(context.getBean(DistributedLockAdvisor.class).getOrder());
            api.lockedAndLimited();
            LockTemplate locks = context.getBean(LockTemplate.class);
            ExecutorService otherThread = Executors.newSingleThreadExecutor();
            try (LockHandle held = CompletableFuture.supplyAsync(() -> locks.lock("report"), otherThread).get()) {
                long start = System.nanoTime();
                assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(api::lockedAndLimited);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the lock's 20 s timeout")
                    .isLessThan(Duration.ofSeconds(10));
            }
            finally {
                otherThread.shutdownNow();
            }
        });
    }

    @Test
    void aspectOrderIsConfigurable() {
        this.runner.withPropertyValues("pielock.limiter.aspect-order=42")
            .run(context -> assertThat(context.getBean(RateLimitAdvisor.class).getOrder()).isEqualTo(42));
    }

    private static StringRedisTemplate redis(org.springframework.context.ApplicationContext context) {
        return new StringRedisTemplate(
                context.getBean(org.springframework.data.redis.connection.RedisConnectionFactory.class));
    }

    record Order(String id) {
    }

    record Tenant(String id) {
    }

    /** A bean with rate-limited methods. */
    public static class Api {

        private final AtomicInteger calls = new AtomicInteger();

        /** @return how often a guarded method body ran (a method: fields of the proxy are not the bean's) */
        public int calls() {
            return this.calls.get();
        }

        @RateLimited(key = "'user:' + #user", per = TimeUnit.MINUTE, count = 2)
        public String byUser(String user) {
            this.calls.incrementAndGet();
            return user;
        }

        @RateLimited(key = "@tenant.id + ':' + #p0.id", per = TimeUnit.MINUTE, count = 5)
        public String byOrder(Order order) {
            return order.id();
        }

        @RateLimited(key = "#id", per = TimeUnit.MINUTE, count = 5)
        public void byId(String id) {
        }

        @RateLimited(key = "'caller:' + #user", condition = "!#internal", per = TimeUnit.MINUTE, count = 1)
        public String unlessInternal(String user, boolean internal) {
            this.calls.incrementAndGet();
            return user;
        }

        @RateLimited(key = "'free:' + #user", condition = "#plan == 'free'", per = TimeUnit.MINUTE, count = 1)
        @RateLimited(key = "'pro:' + #user", condition = "#plan == 'pro'", per = TimeUnit.MINUTE, count = 3)
        public void perPlan(String user, String plan) {
        }

        @RateLimited(key = "'bad'", condition = "#user", per = TimeUnit.MINUTE, count = 5)
        public void badCondition(String user) {
        }

        @RateLimited(per = TimeUnit.MINUTE, count = 1)
        public void shared() {
        }

        @RateLimited(key = "'gcra'", per = TimeUnit.MINUTE, count = 3, algorithm = Algorithm.GCRA)
        public void gcra() {
        }

        @RateLimited(key = "'everyWindow'", window = "${test.window:1h}", count = 3)
        public void everyWindow() {
        }

        @RateLimited(key = "#root.targetClass.simpleName + '.' + #root.methodName", per = TimeUnit.MINUTE,
                count = 1, fallback = "busy")
        public String withFallback(String user) {
            this.calls.incrementAndGet();
            return "served " + user;
        }

        String busy(String user, RateLimitExceededException ex) {
            return "busy " + user + ": " + ex.getMessage();
        }

        @RateLimited(key = "'Api.repeated'", per = TimeUnit.MINUTE, count = 1)
        @RateLimited(key = "'Api.repeated'", per = TimeUnit.HOUR, count = 3)
        public void repeated() {
        }

        @RateLimited(key = "'user:' + #user", per = TimeUnit.MINUTE, count = 5)
        @RateLimited(key = "'global'", per = TimeUnit.MINUTE, count = 1)
        public void perUserAndGlobal(String user) {
        }

        @RateLimited(per = TimeUnit.MINUTE, count = 1)
        @DistributedLocked(key = "'report'", timeout = "20s")
        public void lockedAndLimited() {
        }
    }
}
