package io.pielock.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.limiter.KeyedLimits;
import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitResult;
import io.pielock.limiter.Limiter;
import io.pielock.lock.LockAcquisitionException;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockTemplate;
import io.pielock.test.CapturedLogs;
import io.pielock.test.RedisCluster;
import io.pielock.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * pielock under a Redis ACL user that may touch only its own keys, channel and commands (the rules the README
 * documents), and with credentials that must never show up in logs or exception messages.
 */
class RedisSecurityTest {

    /** The ACL rules documented in README.md, for the default key prefix {@code pielock:}. */
    static final String ACL_RULES = "on resetkeys ~pielock:* resetchannels &pielock:lock-released:* -@all "
            + "+evalsha +eval +get +set +pexpire +pttl +del +publish +time +subscribe +unsubscribe "
            + "+hget +hset +hdel +hgetall +getrange +setrange";

    /** What README.md adds to {@link #ACL_RULES} on Redis Cluster. */
    static final String CLUSTER_ACL_RULES = "+spublish +ssubscribe +sunsubscribe";

    /** What Lettuce needs to discover a cluster's topology (the application's own rules, not pielock's). */
    private static final String TOPOLOGY_RULES = "+cluster|nodes +info +cluster|myid";

    private static final String USERNAME = "pielock-user-3f9a";

    private static final String PASSWORD = "pw-7c1e-do-not-log";

    private static RedisServer redis;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, AopAutoConfiguration.class,
                PielockAutoConfiguration.class))
        .withBean(LockedJobs.class)
        .withBean(RateLimitedCalls.class);

    @BeforeAll
    static void startRedisWithAnAclUser() {
        redis = RedisServer.start();
        List<String> setUser = new ArrayList<>(List.of("ACL", "SETUSER", USERNAME, ">" + PASSWORD));
        setUser.addAll(List.of(ACL_RULES.split(" ")));
        assertThat(redis.call(setUser.toArray(String[]::new))).isEqualTo("OK");
    }

    @AfterAll
    static void stopRedis() {
        redis.stop();
    }

    private ApplicationContextRunner asAclUser() {
        return this.contextRunner.withPropertyValues("spring.data.redis.host=" + redis.host(),
                "spring.data.redis.port=" + redis.port(), "spring.data.redis.username=" + USERNAME,
                "spring.data.redis.password=" + PASSWORD);
    }

    @Test
    void theReadmeDocumentsExactlyTheseAclRules() throws Exception {
        assertThat(Files.readString(Path.of("..", "README.md")))
            .contains("\nACL SETUSER pielock >change-me " + ACL_RULES + "\n```\n")
            .contains("On Redis Cluster, add `" + CLUSTER_ACL_RULES + "`");
    }

    @Test
    void onRedisClusterTheUserAlsoNeedsOnlyTheShardedChannelCommandsToWaitForAndHearReleases() {
        RedisCluster cluster = RedisCluster.shared();
        String username = USERNAME + "-cluster";
        for (RedisServer master : cluster.masters()) {
            List<String> setUser = new ArrayList<>(List.of("ACL", "SETUSER", username, ">" + PASSWORD));
            setUser.addAll(List.of((ACL_RULES + " " + CLUSTER_ACL_RULES + " " + TOPOLOGY_RULES).split(" ")));
            assertThat(master.call(setUser.toArray(String[]::new))).isEqualTo("OK");
        }
        ApplicationContextRunner asClusterUser = this.contextRunner.withPropertyValues(
                "spring.data.redis.cluster.nodes=" + cluster.nodes(), "spring.data.redis.username=" + username,
                "spring.data.redis.password=" + PASSWORD);
        asClusterUser.run(holder -> asClusterUser.run(waiterContext -> {
            LockTemplate holding = holder.getBean(LockTemplate.class);
            LockTemplate waiter = waiterContext.getBean(LockTemplate.class);
            assertThat(holding.acquire("acl-cluster-wait").acquired()).isTrue();
            CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> waiter
                .acquire("acl-cluster-wait", LockOptions.defaults().withRetryAfter(Duration.ofSeconds(60))).acquired());
            RedisServer owner = cluster.masterOf("pielock:lock:{acl-cluster-wait}");
            long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // the waiter's store subscribes to its own channel for the lock: <release channel>:<listener>
            while (((List<?>) owner.call("PUBSUB", "SHARDCHANNELS", "pielock:lock-released:{acl-cluster-wait}:*"))
                .isEmpty() && System.nanoTime() < giveUp) {
                Thread.sleep(20);
            }
            assertThat((List<?>) owner.call("PUBSUB", "SHARDCHANNELS", "pielock:lock-released:{acl-cluster-wait}:*"))
                .as("the waiter subscribed to its sharded channel for the lock").hasSize(1);
            Thread.sleep(200);
            long releasedAt = System.nanoTime();
            assertThat(holding.release("acl-cluster-wait").released()).isTrue();
            assertThat(waited.get(60, TimeUnit.SECONDS)).isTrue();
            assertThat(System.nanoTime() - releasedAt).as("woken through the allowed sharded channel, not the 60 s poll")
                .isLessThan(Duration.ofSeconds(10).toNanos());
        }));
    }

    @Test
    void aUserLimitedToPielocksKeysChannelAndCommandsCanLockReleaseAndWait() {
        asAclUser().run(holder -> asAclUser().run(waiterContext -> {
            assertThat(holder.getBean(LockedJobs.class).held("acl-job").fencingToken()).isPositive();

            LockTemplate holding = holder.getBean(LockTemplate.class);
            LockTemplate waiter = waiterContext.getBean(LockTemplate.class);
            assertThat(holding.acquire("acl-wait").acquired()).isTrue();
            CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> waiter
                .acquire("acl-wait", LockOptions.defaults().withRetryAfter(Duration.ofSeconds(30))).acquired());
            redis.awaitChannel("pielock:lock-released:{acl-wait}:*", Duration.ofSeconds(20));
            Thread.sleep(200);
            long releasedAt = System.nanoTime();
            assertThat(holding.release("acl-wait").released()).isTrue();
            assertThat(waited.get(60, TimeUnit.SECONDS)).isTrue();
            assertThat(System.nanoTime() - releasedAt).as("woken through the allowed channel, not the 30 s poll")
                .isLessThan(Duration.ofSeconds(10).toNanos());
        }));
    }

    @Test
    void aUserLimitedToPielocksKeysAndCommandsCanCountDenyAndTakeBackRateLimitedCalls() {
        asAclUser().run(context -> {
            Limiter limiter = context.getBean(Limiter.class);
            assertThat(limiter.isFailOpen()).as("a refused command would fail the call, not pass it").isFalse();
            Limit onePerMinute = Limit.of(1, Duration.ofMinutes(1));
            assertThat(limiter.allow("acl-global", List.of(onePerMinute)).allowed()).isTrue();
            assertThat(limiter.allow("acl-global", List.of(onePerMinute, Limit.of(5, Duration.ofHours(1)))).allowed())
                .as("denied, with its retry time read from the window").isFalse();

            LimitResult denied = limiter.allow(List.of(KeyedLimits.of("acl-user", Limit.of(5, Duration.ofMinutes(1))),
                    KeyedLimits.of("acl-global", onePerMinute)));
            assertThat(denied.allowed()).isFalse();
            assertThat(limiter.allow("acl-user", Duration.ofMinutes(1), 5).remaining())
                .as("the denied call was taken back from the user's limit (a refused ZREM would only log)")
                .isEqualTo(4);
            assertThat(context.getBean(RateLimitedCalls.class).call("acl")).isEqualTo("served acl");
        });
    }

    @Test
    void credentialsNeverAppearInLogsOrExceptionMessages() {
        List<Throwable> failures = new ArrayList<>();
        try (CapturedLogs logs = CapturedLogs.capture()) {
            asAclUser().run(context -> context.getBean(LockedJobs.class).held("credentials-ok"));
            String wrong = "wrong-" + PASSWORD;
            this.contextRunner
                .withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
                        "spring.data.redis.username=" + USERNAME, "spring.data.redis.password=" + wrong)
                .run(context -> failures.add(catchThrowable(() -> context.getBean(LockedJobs.class).held("bad"))));
            this.contextRunner
                .withPropertyValues("pielock.redis.host=" + redis.host(), "pielock.redis.port=" + redis.port(),
                        "pielock.redis.username=" + USERNAME, "pielock.redis.password=" + wrong)
                .run(context -> failures.add(catchThrowable(() -> context.getBean(LockedJobs.class).held("bad"))));

            assertThat(failures).hasSize(2)
                .allSatisfy(failure -> assertThat(failure).isInstanceOf(LockAcquisitionException.class)
                    .hasMessageContaining("could not be reached"));
            StringBuilder seen = new StringBuilder(logs.text());
            failures.forEach(failure -> describe(failure, seen));
            assertThat(seen.toString()).isNotBlank().doesNotContain(USERNAME).doesNotContain(PASSWORD);
        }
    }

    @Test
    void theDedicatedConnectionsPropertiesPrintNoCredentials() {
        PielockProperties.Redis properties = new PielockProperties.Redis();
        properties.setUsername(USERNAME);
        properties.setPassword(PASSWORD);
        assertThat(properties.toString()).doesNotContain(USERNAME).doesNotContain(PASSWORD);
    }

    private static void describe(Throwable failure, StringBuilder into) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            into.append('\n').append(cause);
            for (StackTraceElement frame : cause.getStackTrace()) {
                into.append(' ').append(frame);
            }
        }
    }

    @Test
    void commandsAndKeysOutsideTheRulesAreRefused() {
        asAclUser().run(context -> {
            StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
            assertThat(redis.opsForValue().setIfAbsent("pielock:allowed", "x")).isTrue();
            assertThatThrownBy(() -> redis.opsForValue().get("app:secret")).rootCause()
                .hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> redis.opsForValue().increment("pielock:allowed")).as("a command not granted")
                .rootCause()
                .hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> redis.execute((RedisCallback<Object>) connection -> {
                connection.serverCommands().flushAll();
                return null;
            })).rootCause().hasMessageContaining("NOPERM");
        });
    }
}
