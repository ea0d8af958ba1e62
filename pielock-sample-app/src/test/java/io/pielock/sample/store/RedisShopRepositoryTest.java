package io.pielock.sample.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** The repository contract on a real Redis, plus the keys it writes there. */
class RedisShopRepositoryTest extends ShopRepositoryContractTest {

    private static LettuceConnectionFactory connections;

    private static StringRedisTemplate redis;

    private final RedisShopRepository repository = new RedisShopRepository(redis, "shop-test:");

    @BeforeAll
    static void connect() {
        connections = TestRedis.connectionFactory();
        redis = new StringRedisTemplate(connections);
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    @Override
    protected ShopRepository repository() {
        return this.repository;
    }

    @Test
    void stockLivesUnderThePrefixWithTheSkuAsHashTag() {
        this.repository.restock(this.sku, 3);
        assertThat(redis.opsForValue().get("shop-test:stock:{" + this.sku + "}")).isEqualTo("3");
    }
}
