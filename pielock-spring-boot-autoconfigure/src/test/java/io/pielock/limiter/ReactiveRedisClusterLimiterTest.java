package io.pielock.limiter;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import io.pielock.test.RedisCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive rate limit specification and the Redis checks of {@link ReactiveRedisLimiterTest}, unchanged,
 * against a real three-master Redis Cluster reached only through cluster configuration; plus keys of many slots,
 * which the reactive connection must route to every master.
 */
class ReactiveRedisClusterLimiterTest extends ReactiveRedisLimiterTest {

    @Override
    protected LettuceConnectionFactory newConnectionFactory() {
        return RedisCluster.shared().connectedFactory();
    }

    @Override
    protected void flushScripts() {
        RedisCluster.shared().masters().forEach(master -> master.command("SCRIPT", "FLUSH"));
    }

    @Test
    void keysOfEverySlotAreDecidedOnTheirMasters() {
        ReactiveLimiter limiter = newProcess();
        List<Limit> twoPerMinuteAndHour = List.of(Limit.of(2, TimeUnit.MINUTE), Limit.of(30, TimeUnit.HOUR));
        Long allowed = Flux.fromStream(IntStream.range(0, 300).mapToObj(i -> this.key + ":" + i))
            .flatMap(name -> limiter.allow(name, twoPerMinuteAndHour).subscribeOn(Schedulers.parallel()), 32)
            .filter(LimitResult::allowed)
            .count()
            .block();
        assertThat(allowed).isEqualTo(300);
    }
}
