package io.pielock.store.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

import io.pielock.limiter.Algorithm;
import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitAttempt;
import io.pielock.limiter.RateLimitStore;
import io.pielock.limiter.WindowState;

/**
 * A {@link RateLimitStore} on Redis (standalone, Sentinel or Cluster, through Spring Data Redis). Each decision
 * is one Lua script ({@code limit-sliding.lua} or {@code limit-gcra.lua} for a key's single limit,
 * {@code limit-consume.lua} for several, beside this class), so one round trip and atomic, on the
 * server's clock ({@code TIME}), never the client's.
 * <p>
 * Each limit of a key is one Redis string, named {@link RedisKeys#limit(String, Limit)}, for example
 * {@code pielock:limit:{mylist}:1000ms:sliding}: the window in the name keeps limits of different windows
 * apart, and the shared hash tag puts all of a key's windows in one Cluster slot so one script decides them
 * together.
 * <ul>
 * <li>A sliding window's string is a ring of the times of the calls the window allowed, 8 bytes each
 * ({@code limit-ring.lua} describes it): a decision reads the call {@code count} back, and writes one slot if
 * allowed; a denied call writes nothing. The ring grows, doubling, only while all its calls are inside the
 * window, up to {@code count} slots (measured on Redis 7: about 1,000 bytes per key for 100 calls a minute after
 * 100 calls). It expires one window after its newest call, so idle keys vanish.</li>
 * <li>A GCRA limit's string is one 8-byte number, its theoretical arrival time in microseconds (about 100
 * bytes per key, whatever the count), expiring {@code count} intervals after the last allowed call, by when that
 * time has passed.</li>
 * </ul>
 * Scripts run by SHA on a connection straight from the factory, not through {@code RedisTemplate}, whose
 * per-call proxy and serializers cost more than a decision; on Spring Boot's default Lettuce set-up, one
 * connection object serves every call ({@link ScriptRunner}).
 */
public class RedisRateLimitStore implements RateLimitStore {

    private static final byte[] SLIDING = "sliding".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] GCRA = "gcra".getBytes(StandardCharsets.US_ASCII);

    private final ScriptRunner scripts;

    private final String endpoint;

    private final RedisKeys keys;

    /**
     * @param connectionFactory the Redis connections to use (nothing connects until the first call)
     * @param keys how keys are named
     */
    public RedisRateLimitStore(RedisConnectionFactory connectionFactory, RedisKeys keys) {
        this.scripts = new ScriptRunner(connectionFactory);
        this.endpoint = RedisEndpoints.describe(connectionFactory);
        this.keys = keys;
    }

    @Override
    public LimitAttempt tryConsume(String key, List<Limit> limits) {
        int count = limits.size();
        List<?> reply;
        if (count == 1) {
            // the common case has scripts of its own, with less work per call
            Limit limit = limits.get(0);
            byte[][] keyAndArgs = new byte[4][];
            arguments(limit, keyAndArgs, 0);
            keyAndArgs[0] = windowKey(key, limit); // in place of the algorithm, which the script is
            reply = this.scripts.run(limit.algorithm() == Algorithm.GCRA ? LimitScripts.GCRA : LimitScripts.SLIDING,
                    ReturnType.MULTI, 1, keyAndArgs);
        }
        else {
            byte[][] keysAndArgs = new byte[5 * count][];
            for (int i = 0; i < count; i++) {
                keysAndArgs[i] = windowKey(key, limits.get(i));
                arguments(limits.get(i), keysAndArgs, count + 4 * i);
            }
            reply = this.scripts.run(LimitScripts.CONSUME, ReturnType.MULTI, count, keysAndArgs);
        }
        WindowState[] windows = new WindowState[count];
        for (int i = 0; i < count; i++) {
            windows[i] = new WindowState(limits.get(i), (Long) reply.get(1 + 3 * i),
                    Duration.ofNanos(Math.multiplyExact((Long) reply.get(2 + 3 * i), 1000L)),
                    (Long) reply.get(3 + 3 * i));
        }
        return new LimitAttempt((Long) reply.get(0) == 1L, List.of(windows));
    }

    @Override
    public void refund(String key, LimitAttempt recorded) {
        List<WindowState> windows = recorded.windows();
        int count = windows.size();
        byte[][] keysAndArgs = new byte[6 * count][];
        for (int i = 0; i < count; i++) {
            keysAndArgs[i] = windowKey(key, windows.get(i).limit());
            arguments(windows.get(i).limit(), keysAndArgs, count + 5 * i);
            keysAndArgs[count + 5 * i + 4] = ascii(windows.get(i).mark());
        }
        this.scripts.run(LimitScripts.REFUND, ReturnType.INTEGER, count, keysAndArgs);
    }

    /**
     * A limit as the scripts take it, all as text (Redis formats Lua numbers with {@code sprintf}, so the
     * scripts pass on what they are given): algorithm; window (sliding) or interval (GCRA) in microseconds;
     * count; how long the key lives after an allowed call, in milliseconds.
     */
    private static void arguments(Limit limit, byte[][] into, int at) {
        long window = limit.window().toMillis() * 1000;
        if (limit.algorithm() == Algorithm.GCRA) {
            long interval = ceilDiv(window, limit.count());
            into[at] = GCRA;
            into[at + 1] = ascii(interval);
            // the theoretical arrival time is at most count intervals ahead
            into[at + 3] = ascii(ceilDiv(limit.count() * interval, 1000));
        }
        else {
            into[at] = SLIDING;
            into[at + 1] = ascii(window);
            into[at + 3] = ascii(limit.window().toMillis());
        }
        into[at + 2] = ascii(limit.count());
    }

    private static long ceilDiv(long dividend, long divisor) {
        return (dividend + divisor - 1) / divisor;
    }

    /** @return the Redis this store uses (hosts and ports, no credentials) */
    @Override
    public String describe() {
        return this.endpoint;
    }

    private byte[] windowKey(String key, Limit limit) {
        return this.keys.limit(key, limit).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(long number) {
        return Long.toString(number).getBytes(StandardCharsets.US_ASCII);
    }
}
