package io.pielock.sample.shop;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.pielock.lock.LockStore;
import io.pielock.sample.store.RedisShopRepository;
import io.pielock.sample.store.ShopRepository;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** The shop with the {@code redis} profile, on the tests' own Redis. */
@ActiveProfiles("redis")
class RedisShopEndToEndTest extends ShopEndToEndTest {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        TestRedis.Endpoint redis = TestRedis.endpoint();
        registry.add("spring.data.redis.host", redis::host);
        registry.add("spring.data.redis.port", redis::port);
        registry.add("shop.key-prefix", () -> "shop-e2e:");
        registry.add("pielock.key-prefix", () -> "pielock-e2e:");
    }

    @Test
    void theRedisProfileKeepsStockAndLocksInRedis(@Autowired ShopRepository repository, @Autowired LockStore locks) {
        assertThat(repository).isInstanceOf(RedisShopRepository.class);
        assertThat(locks).isInstanceOf(RedisLockStore.class);
    }
}
