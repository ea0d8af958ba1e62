package io.pielock.lock;

import java.time.Duration;
import java.util.Objects;

/**
 * How one acquisition behaves: lease length, how long to wait, how often to poll, how many tries, whether the
 * lease is renewed and whether the thread that holds the lock may take it again (reentrancy); and the name its
 * metrics and traces carry.
 * <p>
 * Immutable; each {@code with…} method returns a copy. Start from the configured defaults
 * ({@link LockTemplate#defaults()}) or from {@link #defaults()}:
 * <pre>{@code
 * LockOptions quick = lockTemplate.defaults().withTimeout(Duration.ZERO).withExpires(Duration.ofSeconds(5));
 * }</pre>
 * Values are validated when the object is built, so a bad value fails where it is written.
 */
public final class LockOptions {

    /**
     * The longest {@code expires}, {@code timeout} and {@code retryAfter} accepted: 100 years (36,500 days). Far
     * beyond any real lock, and well inside what Redis's {@code PX}, Lua's exact integers and the JVM's
     * nanosecond clock (292 years) can represent, so no value is accepted that would overflow later.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(36_500);

    /** The {@linkplain #name() name} of acquisitions that were given none: {@value}. */
    public static final String PROGRAMMATIC = "programmatic";

    private static final LockOptions DEFAULTS = new LockOptions(Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofSeconds(1), 0, true, true);

    private final Duration expires;
    private final Duration timeout;
    private final Duration retryAfter;
    private final int tries;
    private final boolean renew;
    private final boolean reentrant;
    private final String name;

    /**
     * Creates reentrant options, validating each value.
     * @param expires lease length: the lock frees itself this long after it was acquired or last renewed
     *        (a whole number of milliseconds, from 1 ms to {@link #MAX_DURATION}: Redis keeps leases in ms)
     * @param timeout how long {@link LockTemplate#acquire(String, LockOptions)} may wait; {@code ZERO} means
     *        one attempt (0 to {@link #MAX_DURATION})
     * @param retryAfter the fallback poll interval while waiting (waiters are normally woken on release), and
     *        the spacing of {@code tries} (1 ms to {@link #MAX_DURATION})
     * @param tries the maximum number of attempts, {@code 0} for no limit but the timeout
     * @param renew whether the lease is renewed in the background while the lock is held
     * @throws IllegalArgumentException if a value is out of range
     */
    public LockOptions(Duration expires, Duration timeout, Duration retryAfter, int tries, boolean renew) {
        this(expires, timeout, retryAfter, tries, renew, true);
    }

    /**
     * Creates options, validating each value.
     * @param expires lease length: the lock frees itself this long after it was acquired or last renewed
     *        (a whole number of milliseconds, from 1 ms to {@link #MAX_DURATION}: Redis keeps leases in ms)
     * @param timeout how long {@link LockTemplate#acquire(String, LockOptions)} may wait; {@code ZERO} means
     *        one attempt (0 to {@link #MAX_DURATION})
     * @param retryAfter the fallback poll interval while waiting (waiters are normally woken on release), and
     *        the spacing of {@code tries} (1 ms to {@link #MAX_DURATION})
     * @param tries the maximum number of attempts, {@code 0} for no limit but the timeout
     * @param renew whether the lease is renewed in the background while the lock is held
     * @param reentrant whether the thread that holds the lock may acquire it again (and must release it as
     *        often); when {@code false}, such an acquisition fails at once
     * @throws IllegalArgumentException if a value is out of range
     */
    public LockOptions(Duration expires, Duration timeout, Duration retryAfter, int tries, boolean renew,
            boolean reentrant) {
        this(expires, timeout, retryAfter, tries, renew, reentrant, PROGRAMMATIC);
    }

    private LockOptions(Duration expires, Duration timeout, Duration retryAfter, int tries, boolean renew,
            boolean reentrant, String name) {
        this.expires = requireWholeMillis("expires", requireAtLeastOneMilli("expires", expires));
        this.timeout = requireNotNegative("timeout", timeout);
        this.retryAfter = requireAtLeastOneMilli("retryAfter", retryAfter);
        if (tries < 0) {
            throw new IllegalArgumentException("tries must be 0 (no limit) or positive, but was " + tries);
        }
        this.tries = tries;
        this.renew = renew;
        this.reentrant = reentrant;
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be null or blank, but was '" + name + "'");
        }
        this.name = name;
    }

    /**
     * The library's own defaults: {@code expires} 30 s, {@code timeout} 60 s, {@code retryAfter} 1 s,
     * no limit on tries, renewal on, reentrant. Applications usually start from {@link LockTemplate#defaults()}, which
     * reflects {@code pielock.lock.*}.
     * @return the library defaults
     */
    public static LockOptions defaults() {
        return DEFAULTS;
    }

    /** @return the lease length */
    public Duration expires() {
        return this.expires;
    }

    /** @return the longest time an acquisition waits; {@code ZERO} means one attempt */
    public Duration timeout() {
        return this.timeout;
    }

    /** @return the fallback poll interval while waiting */
    public Duration retryAfter() {
        return this.retryAfter;
    }

    /**
     * The most attempts one acquisition makes, spaced by {@link #retryAfter()}, wherever the holder is: a thread
     * of this JVM or another process. An acquisition with {@code tries} n gives up after about
     * {@code (n - 1) × retryAfter} (sooner at {@code timeout}), or after n attempts on the store when releases
     * wake it sooner.
     * @return the maximum number of attempts, {@code 0} for no limit but the timeout
     */
    public int tries() {
        return this.tries;
    }

    /** @return whether the lease is renewed in the background while held */
    public boolean renew() {
        return this.renew;
    }

    /**
     * @return whether the thread that holds the lock may acquire it again; when {@code false}, such an
     *         acquisition fails at once ({@link LockAcquisitionException.Reason#ALREADY_HELD}), as the original
     *         pie-lock's did
     */
    public boolean reentrant() {
        return this.reentrant;
    }

    /**
     * What the acquisition is for, as its metrics and traces name it (the {@code name} tag of
     * {@code pielock.lock.acquire} and {@code pielock.lock.held}): for {@code @DistributedLocked} the method
     * ({@code ClassName.method}), otherwise what the caller gave {@link #withName(String)}. Unlike the key, it
     * must have few distinct values: it becomes a metric tag.
     * @return the name, {@link #PROGRAMMATIC} unless one was given
     */
    public String name() {
        return this.name;
    }

    /**
     * @param expires the new lease length
     * @return a copy with the given lease length
     */
    public LockOptions withExpires(Duration expires) {
        return new LockOptions(expires, this.timeout, this.retryAfter, this.tries, this.renew, this.reentrant,
                this.name);
    }

    /**
     * @param timeout the new wait limit, {@code ZERO} for one attempt
     * @return a copy with the given wait limit
     */
    public LockOptions withTimeout(Duration timeout) {
        return new LockOptions(this.expires, timeout, this.retryAfter, this.tries, this.renew, this.reentrant,
                this.name);
    }

    /**
     * @param retryAfter the new fallback poll interval
     * @return a copy with the given poll interval
     */
    public LockOptions withRetryAfter(Duration retryAfter) {
        return new LockOptions(this.expires, this.timeout, retryAfter, this.tries, this.renew, this.reentrant,
                this.name);
    }

    /**
     * @param tries the new maximum number of attempts, {@code 0} for no limit but the timeout
     * @return a copy with the given number of tries
     */
    public LockOptions withTries(int tries) {
        return new LockOptions(this.expires, this.timeout, this.retryAfter, tries, this.renew, this.reentrant,
                this.name);
    }

    /**
     * @param renew whether to renew the lease in the background
     * @return a copy with renewal switched as given
     */
    public LockOptions withRenew(boolean renew) {
        return new LockOptions(this.expires, this.timeout, this.retryAfter, this.tries, renew, this.reentrant,
                this.name);
    }

    /**
     * @param reentrant whether the thread that holds the lock may acquire it again
     * @return a copy with reentrancy switched as given
     */
    public LockOptions withReentrant(boolean reentrant) {
        return new LockOptions(this.expires, this.timeout, this.retryAfter, this.tries, this.renew, reentrant,
                this.name);
    }

    /**
     * @param name what the acquisition is for, in metrics and traces: few distinct values (it becomes a metric
     *        tag), never a user id; not blank
     * @return a copy with the given name
     * @throws IllegalArgumentException if the name is null or blank
     */
    public LockOptions withName(String name) {
        return new LockOptions(this.expires, this.timeout, this.retryAfter, this.tries, this.renew, this.reentrant,
                name);
    }

    private static Duration requireAtLeastOneMilli(String name, Duration value) {
        requireNotNegative(name, value);
        if (value.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(name + " must be at least 1ms, but was " + LockTemplate.text(value));
        }
        return value;
    }

    private static Duration requireNotNegative(String name, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, but was " + LockTemplate.text(value));
        }
        if (value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + LockTemplate.text(MAX_DURATION)
                    + " (100 years), but was " + LockTemplate.text(value));
        }
        return value;
    }

    private static Duration requireWholeMillis(String name, Duration value) {
        if (value.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException(name + " must be a whole number of milliseconds (Redis keeps leases "
                    + "in ms), but was " + LockTemplate.text(value));
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LockOptions that && this.expires.equals(that.expires)
                && this.timeout.equals(that.timeout) && this.retryAfter.equals(that.retryAfter)
                && this.tries == that.tries && this.renew == that.renew
                && this.reentrant == that.reentrant && this.name.equals(that.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.expires, this.timeout, this.retryAfter, this.tries, this.renew, this.reentrant,
                this.name);
    }

    @Override
    public String toString() {
        return "LockOptions[expires=" + this.expires + ", timeout=" + this.timeout + ", retryAfter="
                + this.retryAfter + ", tries=" + this.tries + ", renew=" + this.renew + ", reentrant=" + this.reentrant
                + ", name=" + this.name + "]";
    }
}
