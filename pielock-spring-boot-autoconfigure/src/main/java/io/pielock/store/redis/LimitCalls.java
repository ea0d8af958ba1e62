package io.pielock.store.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.connection.ReturnType;

import io.pielock.limiter.Algorithm;
import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitAttempt;
import io.pielock.limiter.WindowState;

/**
 * The rate limit scripts' calls and replies, built and read in one place for {@link RedisRateLimitStore} and
 * {@link ReactiveRedisRateLimitStore}, which differ only in how they send them: same scripts, same keys, same
 * arguments, so a blocking and a reactive application count the same calls.
 */
final class LimitCalls {

    private static final byte[] SLIDING = "sliding".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] GCRA = "gcra".getBytes(StandardCharsets.US_ASCII);

    private final RedisKeys keys;

    LimitCalls(RedisKeys keys) {
        this.keys = keys;
        LimitScripts.load(); // now, while the store is created, not on the event loop of a reactive first call
    }

    /**
     * One script call.
     * @param script the script
     * @param returnType how to read its reply
     * @param numKeys how many of {@code keysAndArgs} are keys
     * @param keysAndArgs the keys, then the arguments
     */
    record Call(LuaScript<?> script, ReturnType returnType, int numKeys, byte[][] keysAndArgs) {
    }

    /**
     * @return the call deciding one call of {@code key}, of {@code cost} permits, against {@code limits} (the
     *         cost is the scripts' last argument)
     */
    Call consume(String key, List<Limit> limits, long cost) {
        int count = limits.size();
        if (count == 1) {
            // the common case has scripts of its own, with less work per call
            Limit limit = limits.get(0);
            byte[][] keyAndArgs = new byte[5][];
            arguments(limit, keyAndArgs, 0);
            keyAndArgs[0] = windowKey(key, limit); // in place of the algorithm, which the script is
            keyAndArgs[4] = ascii(cost);
            return new Call(limit.algorithm() == Algorithm.GCRA ? LimitScripts.GCRA : LimitScripts.SLIDING,
                    ReturnType.MULTI, 1, keyAndArgs);
        }
        byte[][] keysAndArgs = new byte[5 * count + 1][];
        for (int i = 0; i < count; i++) {
            keysAndArgs[i] = windowKey(key, limits.get(i));
            arguments(limits.get(i), keysAndArgs, count + 4 * i);
        }
        keysAndArgs[5 * count] = ascii(cost);
        return new Call(LimitScripts.CONSUME, ReturnType.MULTI, count, keysAndArgs);
    }

    /**
     * @param limits the limits the call was decided against
     * @param reply the consume script's reply: allowed, then remaining, retry-after (µs) and mark per window
     * @param cost the call's cost
     * @return the store's answer
     */
    static LimitAttempt attempt(List<Limit> limits, List<?> reply, long cost) {
        int count = limits.size();
        WindowState[] windows = new WindowState[count];
        for (int i = 0; i < count; i++) {
            windows[i] = new WindowState(limits.get(i), number(reply.get(1 + 3 * i)),
                    Duration.ofNanos(Math.multiplyExact(number(reply.get(2 + 3 * i)), 1000L)),
                    number(reply.get(3 + 3 * i)));
        }
        return new LimitAttempt(number(reply.get(0)) == 1L, List.of(windows), cost);
    }

    /** @return the call taking back what {@code recorded} recorded for {@code key} */
    Call refund(String key, LimitAttempt recorded) {
        List<WindowState> windows = recorded.windows();
        int count = windows.size();
        byte[][] keysAndArgs = new byte[6 * count + 1][];
        for (int i = 0; i < count; i++) {
            keysAndArgs[i] = windowKey(key, windows.get(i).limit());
            arguments(windows.get(i).limit(), keysAndArgs, count + 5 * i);
            keysAndArgs[count + 5 * i + 4] = ascii(windows.get(i).mark());
        }
        keysAndArgs[6 * count] = ascii(recorded.cost());
        return new Call(LimitScripts.REFUND, ReturnType.INTEGER, count, keysAndArgs);
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
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

    private byte[] windowKey(String key, Limit limit) {
        return this.keys.limit(key, limit).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(long number) {
        return Long.toString(number).getBytes(StandardCharsets.US_ASCII);
    }
}
