package io.pielock.reactive;

import java.time.Duration;
import java.util.UUID;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.pielock.limiter.ReactiveLimiter;
import io.pielock.limiter.TimeUnit;
import io.pielock.lock.LockOptions;
import io.pielock.lock.ReactiveLockTemplate;
import io.pielock.store.redis.ReactiveRedisLockStore;
import io.pielock.store.redis.ReactiveRedisRateLimitStore;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.test.JavaProcess;
import io.pielock.test.NonBlocking;
import io.pielock.test.TestRedis;

/**
 * A JVM of its own for {@link FirstReactiveCallsTest}: with BlockHound installed, it creates pielock's reactive
 * lock template and limiter on Redis, as the auto-configuration would, then makes the JVM's first reactive lock,
 * release and limit decision on a thread of Reactor's parallel scheduler, where blocking is an error. It answers
 * {@code locked <fencing token> released <released> allowed <allowed>}, or {@code failed <what>}.
 * Argument: the Redis port.
 */
public final class FirstReactiveCallsProcess {

    private FirstReactiveCallsProcess() {
    }

    public static void main(String[] args) {
        NonBlocking.install();
        LettuceConnectionFactory redis = TestRedis.connectionFactory("127.0.0.1", Integer.parseInt(args[0]),
                Duration.ofSeconds(5));
        RedisKeys keys = new RedisKeys("first-" + UUID.randomUUID() + ":");
        ReactiveLockTemplate locks = new ReactiveLockTemplate(
                new ReactiveRedisLockStore(redis, new RedisLockStore(redis, keys)), LockOptions.defaults());
        ReactiveLimiter limiter = new ReactiveLimiter(new ReactiveRedisRateLimitStore(redis, keys));
        try {
            String answer = Mono.defer(() -> locks.lock("order-1"))
                .flatMap(handle -> handle.release()
                    .map(released -> "locked " + handle.fencingToken() + " released " + released.released()))
                .flatMap(locked -> limiter.allow("user-1", TimeUnit.SECOND, 2)
                    .map(result -> locked + " allowed " + result.allowed()))
                .subscribeOn(Schedulers.parallel())
                .block(Duration.ofSeconds(30));
            JavaProcess.reply(answer);
        }
        catch (Throwable ex) {
            StringBuilder what = new StringBuilder("failed");
            for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
                what.append(" | ").append(cause);
            }
            JavaProcess.reply(what.toString().replace('\n', ' '));
        }
        finally {
            redis.destroy();
        }
        System.exit(0);
    }
}
