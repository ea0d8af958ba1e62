package io.pielock.test;

import java.util.List;
import java.util.OptionalLong;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A counter in Redis guarded by fencing tokens, as a resource protected by a pielock lock should be: it serves
 * a read or write only if the caller's token is at least the highest it has seen (one atomic Lua script), so a
 * stale holder's read-modify-write is refused even when it still believes it holds the lock. It logs every
 * operation in the order it served them, so tests can check that accepted critical sections never overlapped.
 */
public final class FencedCounter {

    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static final RedisScript<List<Long>> SCRIPT = (RedisScript) RedisScript
        .of(new ClassPathResource("fenced-counter.lua", FencedCounter.class), List.class);

    private final StringRedisTemplate redis;

    private final List<String> keys;

    /**
     * @param redis where the counter lives (not the lock's Redis: a resource outlives lock-service faults)
     * @param name the counter's name
     */
    public FencedCounter(StringRedisTemplate redis, String name) {
        this.redis = redis;
        this.keys = List.of(name + ":value", name + ":highest-token", name + ":accepted-writes", name + ":log",
                name + ":last-written-token");
    }

    /**
     * @param token the caller's fencing token
     * @param who the caller, for the log
     * @return the value, or empty if the token is stale
     */
    public OptionalLong read(long token, String who) {
        List<Long> reply = call(token, "read", "", who);
        return (reply.get(0) == 1L) ? OptionalLong.of(reply.get(1)) : OptionalLong.empty();
    }

    /**
     * @param token the caller's fencing token
     * @param value the new value
     * @param who the caller, for the log
     * @return whether it was accepted (false: the token is stale, or has written already)
     */
    public boolean write(long token, long value, String who) {
        return call(token, "write", Long.toString(value), who).get(0) == 1L;
    }

    /** @return the current value */
    public long value() {
        String value = this.redis.opsForValue().get(this.keys.get(0));
        return (value != null) ? Long.parseLong(value) : 0;
    }

    /** @return how many writes were accepted */
    public long acceptedWrites() {
        String value = this.redis.opsForValue().get(this.keys.get(2));
        return (value != null) ? Long.parseLong(value) : 0;
    }

    /** @return the operation served last ({@code "<read|write> <token> <ok|stale> <who>"}), or null */
    public String lastOperation() {
        return this.redis.opsForList().index(this.keys.get(3), -1);
    }

    /** @return every operation in the order served: {@code "<read|write> <token> <ok|stale> <who>"} */
    public List<String> log() {
        return this.redis.opsForList().range(this.keys.get(3), 0, -1);
    }

    private List<Long> call(long token, String operation, String value, String who) {
        return this.redis.execute(SCRIPT, this.keys, Long.toString(token), operation, value, who);
    }
}
