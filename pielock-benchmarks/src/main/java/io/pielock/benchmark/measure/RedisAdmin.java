package io.pielock.benchmark.measure;

import java.util.ArrayList;
import java.util.List;

import io.pielock.test.RedisServer;

/**
 * What the benchmark asks Redis itself, beside the contenders: command counts and times, CPU, memory, keys and
 * their TTLs.
 */
public final class RedisAdmin {

    private final RedisServer redis;

    /**
     * @param redis the server under test
     */
    public RedisAdmin(RedisServer redis) {
        this.redis = redis;
    }

    /** @return how many PUBLISH commands Redis has run ({@code INFO commandstats}), scripts' included */
    public long publishCalls() {
        String stats = this.redis.info("commandstats", "cmdstat_publish");
        if (stats == null) {
            return 0;
        }
        for (String field : stats.split(",")) {
            if (field.startsWith("calls=")) {
                return Long.parseLong(field.substring("calls=".length()));
            }
        }
        throw new IllegalStateException("No calls= in cmdstat_publish:" + stats);
    }

    /** @return {@code INFO commandstats}: calls and time per command so far */
    public CommandStats commandStats() {
        return CommandStats.parse((String) this.redis.call("INFO", "commandstats"));
    }

    /**
     * @return the CPU time the server process has used so far ({@code INFO cpu}: {@code used_cpu_sys} plus
     *         {@code used_cpu_user}), in microseconds: command execution, and also reading requests, writing
     *         replies and its background tasks
     */
    public long cpuMicros() {
        String cpu = (String) this.redis.call("INFO", "cpu");
        double seconds = Double.parseDouble(field(cpu, "used_cpu_sys"))
                + Double.parseDouble(field(cpu, "used_cpu_user"));
        return Math.round(seconds * 1_000_000);
    }

    /**
     * @param section an {@code INFO} section
     * @param name one of its fields
     * @return its value, {@code null} if absent
     */
    public String info(String section, String name) {
        return this.redis.info(section, name);
    }

    /** @return how many keys the server holds ({@code DBSIZE}) */
    public long dbSize() {
        return (Long) this.redis.call("DBSIZE");
    }

    /**
     * @param key a key
     * @return its {@code MEMORY USAGE ... SAMPLES 0}, 0 if it does not exist
     */
    public long memoryUsage(String key) {
        return (this.redis.call("MEMORY", "USAGE", key, "SAMPLES", "0") instanceof Long usage) ? usage : 0;
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new IllegalStateException("INFO has no " + name);
    }

    /** @return {@code INFO memory used_memory}, in bytes */
    public long usedMemory() {
        return Long.parseLong(this.redis.info("memory", "used_memory"));
    }

    /** @return the server's version */
    public String version() {
        return this.redis.info("server", "redis_version");
    }

    /**
     * @param pattern a {@code SCAN MATCH} pattern
     * @return every key matching it
     */
    public List<String> keys(String pattern) {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            List<?> reply = (List<?>) this.redis.call("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
            cursor = (String) reply.get(0);
            for (Object key : (List<?>) reply.get(1)) {
                keys.add((String) key);
            }
        }
        while (!"0".equals(cursor));
        return keys;
    }

    /**
     * @param keys keys that exist
     * @return the sum of their {@code MEMORY USAGE} (every element counted: {@code SAMPLES 0})
     */
    public long memoryUsage(List<String> keys) {
        long bytes = 0;
        for (Object reply : eachKey(keys, "MEMORY", "USAGE", null, "SAMPLES", "0")) {
            bytes += (reply instanceof Long usage) ? usage : 0;
        }
        return bytes;
    }

    /**
     * @param keys keys that exist
     * @return how many of them expire by themselves
     */
    public long withTtl(List<String> keys) {
        long expiring = 0;
        for (Object reply : eachKey(keys, "PTTL", null)) {
            if (reply instanceof Long ttl && ttl >= 0) {
                expiring++;
            }
        }
        return expiring;
    }

    /** @param keys deleted at once (not UNLINK, whose background freeing would blur used_memory) */
    public void delete(List<String> keys) {
        eachKey(keys, "DEL", null);
    }

    /** Deletes every key, synchronously. */
    public void flushAll() {
        this.redis.call("FLUSHALL", "SYNC");
    }

    /** One command per key on one connection; {@code null} in the command marks where the key goes. */
    private List<Object> eachKey(List<String> keys, String... command) {
        List<Object> replies = new ArrayList<>();
        int batch = 500;
        for (int from = 0; from < keys.size(); from += batch) {
            List<String[]> commands = new ArrayList<>();
            for (String key : keys.subList(from, Math.min(keys.size(), from + batch))) {
                String[] one = command.clone();
                for (int i = 0; i < one.length; i++) {
                    if (one[i] == null) {
                        one[i] = key;
                    }
                }
                commands.add(one);
            }
            replies.addAll(this.redis.callAll(commands));
        }
        return replies;
    }
}
