package io.pielock.limiter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.DataType;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.core.types.Expiration;

import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisRateLimitStore;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limit specification against a real Redis; each "process" has its own connections. Plus what only
 * Redis can show: the keys written, their expiry, their size in bytes, and whose clock stamps the calls.
 */
class RedisLimiterTest extends AbstractLimiterContractTest {

    static final RedisKeys KEYS = new RedisKeys("pielock:");

    private final List<LettuceConnectionFactory> connections = new ArrayList<>();

    private StringRedisTemplate redis;

    @AfterEach
    void closeConnections() {
        this.connections.forEach(LettuceConnectionFactory::destroy);
    }

    @Override
    protected RateLimitStore newStore() {
        return new RedisRateLimitStore(connect(), KEYS);
    }

    /** @return a started connection factory for the Redis under test, closed after each test */
    protected final LettuceConnectionFactory connect() {
        LettuceConnectionFactory factory = newConnectionFactory();
        this.connections.add(factory);
        return factory;
    }

    /** @return a started connection factory for the Redis under test */
    protected LettuceConnectionFactory newConnectionFactory() {
        return TestRedis.connectionFactory();
    }

    @Override
    protected boolean holdsCalls(String key, Limit limit) {
        return redis().hasKey(KEYS.limit(key, limit));
    }

    protected final StringRedisTemplate redis() {
        if (this.redis == null) {
            this.redis = new StringRedisTemplate(connect());
        }
        return this.redis;
    }

    @Test
    void theStoreNamesTheRedisItUsesForErrorMessages() {
        TestRedis.Endpoint endpoint = TestRedis.endpoint();
        LettuceConnectionFactory standalone = TestRedis.connectionFactory();
        this.connections.add(standalone);
        assertThat(new RedisRateLimitStore(standalone, KEYS).describe())
            .isEqualTo("Redis at " + endpoint.host() + ":" + endpoint.port());
    }

    @Test
    void callsAreCountedInAStringPerWindowThatExpiresAfterTheWindow() {
        newProcess().allow(this.key, TimeUnit.MINUTE, 2);
        String ringKey = "pielock:limit:{" + this.key + "}:60000ms:sliding";
        assertThat(redis().type(ringKey)).isEqualTo(DataType.STRING);
        assertThat(redis().getExpire(ringKey, java.util.concurrent.TimeUnit.MILLISECONDS)).isBetween(1L, 60_000L);
    }

    @Test
    void aKeyNeverHoldsMoreThanCountCalls() {
        Limiter limiter = newProcess();
        for (int i = 0; i < 50; i++) {
            limiter.allow(this.key, TimeUnit.MINUTE, 3);
        }
        assertThat(redis().opsForValue().size(KEYS.limit(this.key, Limit.of(3, TimeUnit.MINUTE))))
            .as("header and 3 slots").isEqualTo(12 + 3 * 8);
    }

    @Test
    void aKeyHoldsOnlyAsManySlotsAsCallsInsideItsWindowNeeded() {
        Limiter limiter = newProcess();
        for (int i = 0; i < 3; i++) {
            limiter.allow(this.key, TimeUnit.MINUTE, 1000);
        }
        assertThat(redis().opsForValue().size(KEYS.limit(this.key, Limit.of(1000, TimeUnit.MINUTE))))
            .as("header and 4 slots (the ring doubles)").isEqualTo(12 + 4 * 8);
    }

    @Test
    void aHundredCallsAMinuteTakeWellUnderFifteenHundredBytesOfRedisMemoryPerKey() {
        Limiter limiter = newProcess();
        String user = userKey();
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.allow(user, TimeUnit.MINUTE, 100).allowed()).isTrue();
        }
        // with the key's name, value and bookkeeping: about 1,000 bytes on Redis 7 (a sorted set took 3,755)
        assertThat(memoryUsage(KEYS.limit(user, Limit.of(100, TimeUnit.MINUTE)))).isLessThan(1500);
    }

    @Test
    void everyKeyALimiterWritesExpires() {
        Limiter limiter = newProcess();
        List<Limit> perSecondAndHour = List.of(Limit.of(2, TimeUnit.SECOND),
                Limit.of(5, TimeUnit.HOUR, Algorithm.GCRA));
        KeyedLimits user = KeyedLimits.of(this.key + ":user", Limit.of(3, TimeUnit.MINUTE));
        KeyedLimits global = KeyedLimits.of(this.key + ":global", Limit.of(1, TimeUnit.DAY));
        for (int i = 0; i < 4; i++) {
            limiter.allow(this.key, perSecondAndHour);
            limiter.allow(List.of(user, global));
        }
        List<String> written = new ArrayList<>();
        perSecondAndHour.forEach(limit -> written.add(KEYS.limit(this.key, limit)));
        written.add(KEYS.limit(user.key(), user.limits().get(0)));
        written.add(KEYS.limit(global.key(), global.limits().get(0)));
        for (String key : written) {
            assertThat(redis().getExpire(key, java.util.concurrent.TimeUnit.MILLISECONDS)).as(key).isPositive();
        }
    }

    @Test
    void aGcraLimitKeepsOneNumberPerKeyInWellUnderOneHundredFiftyBytes() {
        Limiter limiter = newProcess();
        Limit limit = Limit.of(100, TimeUnit.MINUTE, Algorithm.GCRA);
        String user = userKey();
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.allow(user, List.of(limit)).allowed()).isTrue();
        }
        String gcraKey = KEYS.limit(user, limit);
        assertThat(gcraKey).isEqualTo("pielock:limit:{" + user + "}:60000ms:gcra");
        // about 100 bytes on Redis 7, most of it the key's name; a Cluster keeps a little more per key
        assertThat(memoryUsage(gcraKey)).isLessThan(150);
        assertThat(redis().getExpire(gcraKey, java.util.concurrent.TimeUnit.MILLISECONDS)).isBetween(1L, 60_000L);
    }

    @Test
    void aGcraLimitCountsOnTheRedisServersClock() {
        long before = serverTimeMillis();
        newProcess().allow(this.key, List.of(Limit.of(2, TimeUnit.MINUTE, Algorithm.GCRA)));
        long after = serverTimeMillis();
        long arrival = ByteBuffer.wrap(getBytes(KEYS.limit(this.key, Limit.of(2, TimeUnit.MINUTE, Algorithm.GCRA))))
            .getLong();
        // one call moves the theoretical arrival time one interval (30 s) past the server's now
        assertThat(arrival / 1000 - 30_000).isBetween(before, after);
    }

    @Test
    void callsAreStampedWithTheRedisServersClock() {
        long before = serverTimeMillis();
        newProcess().allow(this.key, TimeUnit.MINUTE, 2);
        long after = serverTimeMillis();
        ByteBuffer slots = ByteBuffer.wrap(getBytes(KEYS.limit(this.key, Limit.of(2, TimeUnit.MINUTE))));
        assertThat(slots.getInt(8)).as("one slot").isEqualTo(1);
        long stampedMillis = slots.getLong(12) / 1000;
        assertThat(stampedMillis).isBetween(before, after);
    }

    @Test
    void allWindowsOfAKeyShareOneClusterSlotEvenWhenTheKeyHasBraces() {
        String hostile = this.key + "}{x";
        Limit perSecond = Limit.of(2, TimeUnit.SECOND);
        Limit perMinute = Limit.of(30, TimeUnit.MINUTE);
        newProcess().allow(hostile, List.of(perSecond, perMinute));
        String perSecondKey = KEYS.limit(hostile, perSecond);
        String perMinuteKey = KEYS.limit(hostile, perMinute);
        assertThat(perSecondKey).isEqualTo("pielock:limit:{" + this.key + "%7D%7Bx}:1000ms:sliding");
        assertThat(SlotHash.getSlot(perSecondKey)).isEqualTo(SlotHash.getSlot(perMinuteKey));
        assertThat(redis().hasKey(perSecondKey)).isTrue();
        assertThat(redis().hasKey(perMinuteKey)).isTrue();
    }

    @Test
    void aRingThatWrapsRoundGrowsAndGivesCallsBackInTheOrderTheyWereMade() {
        RateLimitStore store = newStore();
        Limit eightPerMinute = Limit.of(8, TimeUnit.MINUTE);
        String ringKey = KEYS.limit(this.key, eightPerMinute);
        long now = serverTimeMillis() * 1000;
        long t1 = now - 4000, t2 = now - 3000, t3 = now - 2000, t4 = now - 1000;
        // four slots, the oldest call in slot 2: the newer calls wrap round the end
        byte[] wrapped = ring(2, 4, t3, t4, t1, t2);

        setRing(ringKey, wrapped);
        LimitAttempt grown = store.tryConsume(this.key, List.of(eightPerMinute));
        assertThat(grown.windows().get(0).remaining()).isEqualTo(3);
        long stamp = grown.windows().get(0).mark();
        assertThat(getBytes(ringKey)).as("eight slots, oldest first, then room")
            .isEqualTo(ring(5, 5, t1, t2, t3, t4, stamp, 0, 0, 0));

        setRing(ringKey, wrapped);
        store.refund(this.key, recorded(eightPerMinute, t2));
        assertThat(getBytes(ringKey)).as("t3 and t4 moved back round the end; t4's slot is free")
            .isEqualTo(ring(1, 4, t4, 0, t1, t3));

        setRing(ringKey, wrapped);
        store.refund(this.key, recorded(eightPerMinute, t1));
        assertThat(getBytes(ringKey)).isEqualTo(ring(1, 4, t4, 0, t2, t3));
        assertThat(store.tryConsume(this.key, List.of(Limit.of(4, TimeUnit.MINUTE))).windows().get(0).remaining())
            .as("three calls left, a fourth admitted").isZero();
    }

    private static LimitAttempt recorded(Limit limit, long mark) {
        return new LimitAttempt(true, List.of(new WindowState(limit, 0, Duration.ZERO, mark)));
    }

    /** @return a ring as limit-ring.lua lays it out: header (next slot, calls inside, slots), then the slots */
    private static byte[] ring(int head, int inside, long... slots) {
        ByteBuffer ring = ByteBuffer.allocate(12 + 8 * slots.length).putInt(head).putInt(inside)
            .putInt(slots.length);
        for (long slot : slots) {
            ring.putLong(slot);
        }
        return ring.array();
    }

    private void setRing(String key, byte[] ring) {
        redis().execute((RedisCallback<Boolean>) connection -> connection.stringCommands()
            .set(key.getBytes(StandardCharsets.UTF_8), ring, Expiration.seconds(60), SetOption.upsert()));
    }

    private byte[] getBytes(String key) {
        return redis().execute((RedisCallback<byte[]>) connection -> connection.stringCommands()
            .get(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** @return a rate limit name as an application might use, for example {@code user-482913} */
    private static String userKey() {
        return "user-" + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
    }

    /** @return what Redis says the key takes, with its name and bookkeeping ({@code MEMORY USAGE}) */
    protected final long memoryUsage(String key) {
        // a script, so that Redis Cluster runs it on the key's node
        return redis().execute(RedisScript.of("return redis.call('MEMORY', 'USAGE', KEYS[1])", Long.class),
                List.of(key));
    }

    private long serverTimeMillis() {
        return redis().execute((RedisCallback<Long>) connection -> connection.serverCommands().time());
    }
}
