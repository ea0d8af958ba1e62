package io.pielock.store.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.springframework.util.Assert;

import io.pielock.limiter.Algorithm;
import io.pielock.limiter.Limit;

/**
 * How pielock names its Redis keys: {@code <key-prefix><kind>:{<name>}}, for example
 * {@code pielock:lock:{orders:42}}.
 * <p>
 * The name is wrapped in a Redis Cluster hash tag, so all keys of one lock (the lock and its fencing counter)
 * share a slot and one Lua script may touch them all, while distinct names spread over the cluster. Braces
 * inside a name are escaped ({@code %} as {@code %25}, <code>{</code> as {@code %7B}, <code>}</code> as
 * {@code %7D}) so a name cannot end the tag early and steer keys into a chosen slot; the escaping is
 * reversible, so distinct names stay distinct keys.
 */
public final class RedisKeys {

    private final String prefix;

    /**
     * What the keys of a lock start with, in UTF-8: {@code <prefix>lock:}, {@code <prefix>fence:},
     * {@code <prefix>queue:} and its release channel's {@code <prefix>lock-released:}, each followed by the hash
     * tag's opening brace.
     */
    private final byte[] lockHead;

    private final byte[] fenceHead;

    private final byte[] queueHead;

    private final byte[] releaseChannelHead;

    /**
     * @param prefix the namespace before every key ({@code pielock.key-prefix}); may not contain braces
     */
    public RedisKeys(String prefix) {
        Assert.notNull(prefix, "key prefix must not be null");
        Assert.isTrue(prefix.indexOf('{') < 0 && prefix.indexOf('}') < 0,
                () -> "key prefix must not contain '{' or '}' (they would break Redis Cluster hash tags), but was '"
                        + prefix + "'");
        this.prefix = prefix;
        this.lockHead = utf8(prefix + "lock:{");
        this.fenceHead = utf8(prefix + "fence:{");
        this.queueHead = utf8(prefix + "queue:{");
        this.releaseChannelHead = utf8(prefix + "lock-released:{");
    }

    /**
     * @param name the lock's name
     * @return the key holding the lock's owner token
     */
    public String lock(String name) {
        return key("lock:", name);
    }

    /**
     * @param name the lock's name
     * @return the key holding the lock's last fencing token
     */
    public String fence(String name) {
        return key("fence:", name);
    }

    /**
     * @param name the lock's name
     * @return the lock's wait queue: a hash of the acquisitions waiting for it in Redis (at most one per process),
     *         set by their failed attempts and expiring on its own; a release passes the lock to the one waiting
     *         longest, and is announced only when someone waits
     */
    public String queue(String name) {
        return key("queue:", name);
    }

    /**
     * @param name the limit's name
     * @return the key holding the limit's window
     */
    public String limit(String name) {
        return key("limit:", name);
    }

    /**
     * @param name the limit's name
     * @param limit one of its limits
     * @return the key counting the calls of that limit's window, for example
     *         {@code pielock:limit:{mylist}:1000ms:sliding}, or {@code …:1000ms:gcra} for {@link Algorithm#GCRA}
     *         (the algorithm in the name keeps the two kinds of value apart); all windows of a name share its
     *         hash tag, so one script can decide them together
     */
    public String limit(String name, Limit limit) {
        return limit(name) + ":" + limit.window().toMillis()
                + ((limit.algorithm() == Algorithm.GCRA) ? "ms:gcra" : "ms:sliding");
    }

    /**
     * @param name the lock's name
     * @return the pub/sub channel on which releases of that lock are announced, for example
     *         {@code pielock:lock-released:{orders:42}}: one channel per lock, to which only the processes that
     *         wait for the lock subscribe, with the lock's hash tag
     */
    public String releaseChannel(String name) {
        return key("lock-released:", name);
    }

    /**
     * @param name the lock's name
     * @param listener a store's listener id ({@code [0-9a-z]+})
     * @return the channel on which that store's waiter for the lock is told of the releases that concern it: the
     *         lock's {@link #releaseChannel(String) release channel} followed by {@code :<listener>}, for example
     *         {@code pielock:lock-released:{orders:42}:k3v9x0q2mz} (same hash tag, so same shard)
     */
    public String releaseChannel(String name, String listener) {
        return releaseChannel(name) + ":" + listener;
    }

    /**
     * The keys every lock script takes, as it takes them: the bytes of {@link #lock(String)},
     * {@link #fence(String)} and {@link #queue(String)}, built without the intermediate strings (a lock and its
     * release each need them).
     * @param name the lock's name
     * @return the three keys, in that order
     */
    byte[][] lockKeyBytes(String name) {
        byte[] tag = utf8(escape(name));
        return new byte[][] { tagged(this.lockHead, tag), tagged(this.fenceHead, tag), tagged(this.queueHead, tag) };
    }

    /**
     * @param name the lock's name
     * @return the bytes of {@link #releaseChannel(String)}
     */
    byte[] releaseChannelBytes(String name) {
        return tagged(this.releaseChannelHead, utf8(escape(name)));
    }

    private static byte[] tagged(byte[] head, byte[] tag) {
        byte[] key = Arrays.copyOf(head, head.length + tag.length + 1);
        System.arraycopy(tag, 0, key, head.length, tag.length);
        key[key.length - 1] = '}';
        return key;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String key(String kind, String name) {
        return this.prefix + kind + "{" + escape(name) + "}";
    }

    static String escape(String name) {
        if (name.indexOf('{') < 0 && name.indexOf('}') < 0 && name.indexOf('%') < 0) {
            return name;
        }
        StringBuilder escaped = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            switch (c) {
                case '%' -> escaped.append("%25");
                case '{' -> escaped.append("%7B");
                case '}' -> escaped.append("%7D");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
