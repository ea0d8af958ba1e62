package io.pielock.limiter;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.pielock.key.Keys;

/**
 * Rate limits: the one place where pielock decides whether a call may proceed. A thin layer over a
 * {@link RateLimitStore}, which counts calls atomically; {@code @RateLimited} is a thin layer over this class.
 * <pre>{@code
 * LimitResult result = limiter.allow("mylist", TimeUnit.SECOND, 2);
 * if (!result.allowed()) {
 *     return tooManyRequests(result.retryAfter());
 * }
 * }</pre>
 * Semantics:
 * <ul>
 * <li><b>Exact sliding window, by default.</b> At any instant, at most {@code count} calls were allowed for a
 * key in the preceding {@code window}, also around what a fixed window would call its boundary. Denied calls
 * are not counted. A limit may count by {@link Algorithm#GCRA} instead: constant memory, a burst of
 * {@code count} and then one call per {@code window / count}; not a sliding window (see there for its
 * bounds).</li>
 * <li><b>One atomic decision, on the store's clock.</b> On Redis, one Lua script per key decides all of the key's
 * limits in one round trip, on the server's {@code TIME}, so clients with skewed clocks agree.</li>
 * <li><b>All or nothing.</b> With several limits ({@link #allow(String, List)}, {@link #allow(List)}) a call
 * passes only if every limit admits it, and a call denied by one limit is counted by none. Limits of one key are
 * decided in one atomic step; several keys (which may live in different Redis Cluster slots) are decided in
 * order, and a key that denies makes the limiter take the call back from the keys before it. Until it has done
 * so, a concurrent call may find those keys one call fuller; and a GCRA limit gives a call back only where that
 * is exact, keeping it counted otherwise: the error is always towards denying, never towards allowing more
 * than the limit's bound.</li>
 * <li><b>Bounded memory.</b> A sliding window keeps at most {@code count} timestamps per key and window (on Redis
 * 8 bytes each, and only as many as the calls inside the window have needed), a GCRA limit one number; a store
 * forgets a key once it holds nothing that could deny a call.</li>
 * <li><b>Store unreachable.</b> Failing closed (the default), the call is denied with a
 * {@link LimiterUnavailableException} whose cause is the store's error, never reported as an exceeded limit.
 * Failing open, the call is allowed unchecked, counted ({@link #getFailOpenCount()}, and with an
 * observer as the {@code pielock.limiter.decision} outcome {@code fail-open}) and logged at WARN at most once every
 * 10 seconds.</li>
 * </ul>
 * <b>Weighted calls.</b> The {@code allow} methods with a last {@code long cost} argument decide a call that takes
 * {@code cost} permits (a bulk request, a large upload), all or nothing: it passes only if every limit has room for
 * all of them at once, exactly as {@code cost} calls at the same instant would, and is then counted {@code cost}
 * times (and taken back whole when a later key denies it). A cost above a limit's count can never pass: it is
 * denied, without asking the store, with a message saying so.
 * <p>
 * Invalid arguments (a key that is null, blank or longer than {@link Keys#MAX_LENGTH}, {@code count <= 0}, a
 * window under 1 ms, {@code cost <= 0}) throw {@link IllegalArgumentException}.
 */
public class Limiter {

    private static final Log logger = LogFactory.getLog(Limiter.class);

    /** The name of decisions that were given none, in metrics and traces: {@value}. */
    public static final String PROGRAMMATIC = "programmatic";

    /** How often, at most, failing open is logged. */
    static final Duration WARNING_INTERVAL = FailOpen.WARNING_INTERVAL;

    private final RateLimitStore store;

    private final boolean failOpen;

    private final FailOpen failOpenPolicy = new FailOpen(logger);

    private volatile LimiterObserver observer = LimiterObserver.NONE;

    private volatile LimitCatalog catalog = LimitCatalog.NONE;

    /**
     * A limiter that fails closed: when the store cannot be reached, calls are denied.
     * @param store where calls are counted
     */
    public Limiter(RateLimitStore store) {
        this(store, false);
    }

    /**
     * @param store where calls are counted
     * @param failOpen whether calls are allowed (unchecked, counted and logged) when the store cannot be reached;
     *        otherwise they are denied with a {@link LimiterUnavailableException}
     */
    public Limiter(RateLimitStore store, boolean failOpen) {
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.failOpen = failOpen;
    }

    /**
     * Decides one call: allowed if fewer than {@code count} calls were allowed for {@code key} in the last
     * {@code per} (the original pie-lock's {@code Limiter.allow(key, per=SECOND, count=2)}).
     * @param key the rate limit's name
     * @param per the window
     * @param count how many calls the window admits
     * @return whether the call may proceed (if so, it has been counted), with a message naming the key
     * @throws IllegalArgumentException if the key is not valid ({@link Keys}), or {@code count <= 0}
     * @throws LimiterUnavailableException if the store cannot be reached and the limiter fails closed
     */
    public LimitResult allow(String key, TimeUnit per, long count) {
        return allow(key, per, count, PROGRAMMATIC);
    }

    /**
     * Decides one call of {@code cost} permits (a bulk request, a large upload): allowed, all or nothing, only if
     * the window has room for all of them, that is if at most {@code count - cost} calls were allowed for
     * {@code key} in the last {@code per}; then it counts as {@code cost} calls. A cost above {@code count} is
     * denied, never counted, with a message saying it can never pass.
     * @param key the rate limit's name
     * @param per the window
     * @param count how many permits the window admits
     * @param cost how many permits this call takes, at least 1
     * @return whether the call may proceed (if so, it has been counted {@code cost} times), with a message naming
     *         the key
     * @throws IllegalArgumentException if the key is not valid ({@link Keys}), {@code count <= 0}, or
     *         {@code cost <= 0}
     * @throws LimiterUnavailableException if the store cannot be reached and the limiter fails closed
     */
    public LimitResult allow(String key, TimeUnit per, long count, long cost) {
        return allow(key, List.of(Limit.of(count, per)), cost);
    }

    /**
     * As {@link #allow(String, TimeUnit, long)}, naming the decision in metrics and traces.
     * @param key the rate limit's name
     * @param per the window
     * @param count how many calls the window admits
     * @param name what is limited, as metrics and traces name it (a metric tag: few distinct values, never a user
     *        id)
     * @return whether the call may proceed (if so, it has been counted), with a message naming the key
     * @throws IllegalArgumentException if the key is not valid ({@link Keys}), {@code count <= 0}, or the name is
     *         blank
     * @throws LimiterUnavailableException if the store cannot be reached and the limiter fails closed
     */
    public LimitResult allow(String key, TimeUnit per, long count, String name) {
        return allow(key, List.of(Limit.of(count, per)), name);
    }

    /**
     * Decides one call: allowed if fewer than {@code count} calls were allowed for {@code key} in the last
     * {@code window}.
     * @param key the rate limit's name
     * @param window the window: a whole number of milliseconds, at least 1 ms
     * @param count how many calls the window admits
     * @return whether the call may proceed (if so, it has been counted), with a message naming the key
     * @throws IllegalArgumentException if the key is not valid ({@link Keys}), {@code count <= 0}, or the window is under
     *         1 ms
     * @throws LimiterUnavailableException if the store cannot be reached and the limiter fails closed
     */
    public LimitResult allow(String key, Duration window, long count) {
        return allow(key, window, count, PROGRAMMATIC);
    }

    /**
     * As {@link #allow(String, Duration, long)}, naming the decision in metrics and traces.
     * @param key the rate limit's name
     * @param window the window: a whole number of milliseconds, at least 1 ms
     * @param count how many calls the window admits
     * @param name what is limited, as metrics and traces name it (a metric tag: few distinct values, never a user
     *        id)
     * @return whether the call may proceed (if so, it has been counted), with a message naming the key
     * @throws IllegalArgumentException if the key is not valid ({@link Keys}), {@code count <= 0}, the window is
     *         under 1 ms, or the name is blank
     * @throws LimiterUnavailableException if the store cannot be reached and the limiter fails closed
     */
    public LimitResult allow(String key, Duration window, long count, String name) {
        return allow(key, List.of(Limit.of(count, window)), name);
    }

    /**
     * Decides one call against several limits of one key (for example 2 per second and 30 per minute), in one
     * atomic step: allowed only if every limit admits it, and counted by all of them or, when denied, by none.
     * @param key the rate limit's name
     * @param limits the limits, with distinct windows
     * @return whether the call may proceed, with a message naming the key
     * @throws IllegalArgumentException if the key is not valid ({@link Keys}), there are no limits, or two share a window
     * @throws LimiterUnavailableException if the store cannot be reached and the limiter fails closed
     */
    public LimitResult allow(String key, List<Limit> limits) {
        return allow(key, limits, PROGRAMMATIC);
    }

    /**
     * As {@link #allow(String, List)}, for a call of {@code cost} permits: allowed only if every limit has room for
     * all of them (a sliding window: at most {@code count - cost} calls inside; GCRA: as {@code cost} calls at
     * once), counted {@code cost} times by all of them or by none.
     * @param key the rate limit's name
     * @param limits the limits, with distinct windows
     * @param cost how many permits this call takes, at least 1; above a limit's count the call is denied with a
     *        message saying it can never pass
     * @return whether the call may proceed, with a message naming the key
     * @throws IllegalArgumentException if the key is not valid ({@link Keys}), there are no limits, two share a
     *         window, or {@code cost <= 0}
     * @throws LimiterUnavailableException if the store cannot be reached and the limiter fails closed
     */
    public LimitResult allow(String key, List<Limit> limits, long cost) {
        return allow(List.of(new KeyedLimits(key, limits)), PROGRAMMATIC, cost);
    }

    /**
     * As {@link #allow(String, List)}, naming the decision in metrics and traces.
     * @param key the rate limit's name
     * @param limits the limits, with distinct windows
     * @param name what is limited, as metrics and traces name it (a metric tag: few distinct values, never a user
     *        id)
     * @return whether the call may proceed, with a message naming the key
     * @throws IllegalArgumentException if the key is not valid ({@link Keys}), there are no limits, two share a
     *         window, or the name is blank
     * @throws LimiterUnavailableException if the store cannot be reached and the limiter fails closed
     */
    public LimitResult allow(String key, List<Limit> limits, String name) {
        return allow(List.of(new KeyedLimits(key, limits)), name);
    }

    /**
     * Decides one call against a named limit ({@code pielock.limiter.limits.<name>}, e.g. a plan: {@code free} is
     * {@code 5/1s, 100/1m}), looked up now, so a changed definition applies from the next call.
     * @param key the rate limit's name
     * @param limitName the named limit's name
     * @return whether the call may proceed, with a message naming the key
     * @throws IllegalArgumentException if the key is not valid, or no limit has that name (the message lists the
     *         known names)
     * @throws LimiterUnavailableException if the store cannot be reached and the limiter fails closed
     */
    public LimitResult allow(String key, String limitName) {
        return allow(key, named(this.catalog, key, limitName), PROGRAMMATIC);
    }

    /**
     * Uses these named limits from now on (the auto-configuration sets the ones of {@code pielock.limiter.limits}).
     * @param catalog the named limits
     */
    public void setCatalog(LimitCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog must not be null");
    }

    /** @return the named limits ({@code pielock.limiter.limits}) */
    public LimitCatalog catalog() {
        return this.catalog;
    }

    /**
     * @return the named limit's windows
     * @throws IllegalArgumentException if no limit has that name, listing the known ones
     */
    static List<Limit> named(LimitCatalog catalog, String key, String limitName) {
        if (limitName == null || limitName.isBlank()) {
            throw new IllegalArgumentException("Rate limit name must not be null or blank, but was '" + limitName
                    + "' (key: " + key + ")");
        }
        List<Limit> limits = catalog.find(limitName);
        if (limits == null) {
            throw new IllegalArgumentException("Unknown named rate limit '" + limitName + "' for key: " + key
                    + "; known names: " + catalog.names() + " (pielock.limiter.limits.<name>)");
        }
        return limits;
    }

    /**
     * Decides one call against the limits of several keys (for example per user and global): allowed only if
     * every limit admits it. Keys are decided in the given order, each atomically; when one denies, the call is
     * taken back from the keys before it, so a denied call is counted by none.
     * @param keys the keys with their limits; each key at most once
     * @return whether the call may proceed, with a message naming the deciding key
     * @throws IllegalArgumentException if the list is empty or names a key twice
     * @throws LimiterUnavailableException if the store cannot be reached and the limiter fails closed
     */
    public LimitResult allow(List<KeyedLimits> keys) {
        return allow(keys, PROGRAMMATIC);
    }

    /**
     * As {@link #allow(List)}, naming the decision in metrics and traces ({@code @RateLimited} passes its method,
     * {@code ClassName.method}).
     * @param keys the keys with their limits; each key at most once
     * @param name what is limited, as metrics and traces name it (a metric tag: few distinct values, never a user
     *        id)
     * @return whether the call may proceed, with a message naming the deciding key
     * @throws IllegalArgumentException if the list is empty or names a key twice, or the name is blank
     * @throws LimiterUnavailableException if the store cannot be reached and the limiter fails closed
     */
    public LimitResult allow(List<KeyedLimits> keys, String name) {
        return allow(keys, name, 1);
    }

    /**
     * As {@link #allow(List, String)}, for a call of {@code cost} permits, taken from every limit of every key, all
     * or nothing: a key that denies makes the limiter take the whole cost back from the keys before it.
     * @param keys the keys with their limits; each key at most once
     * @param name what is limited, as metrics and traces name it
     * @param cost how many permits this call takes, at least 1; above a limit's count the call is denied, without
     *         asking the store, with a message saying it can never pass
     * @return whether the call may proceed, with a message naming the deciding key
     * @throws IllegalArgumentException as {@link #allow(List, String)}, or if {@code cost <= 0}
     * @throws LimiterUnavailableException if the store cannot be reached and the limiter fails closed
     */
    public LimitResult allow(List<KeyedLimits> keys, String name, long cost) {
        KeysDecision.check(keys, name, cost);
        return decide(keys, name, new KeysDecision(keys, cost));
    }

    /**
     * As {@link #allow(List, String, long)}, for a call that takes a different number of permits from each key
     * (the HTTP rules of one request, each with its own cost): all or nothing over every limit of every key, a key
     * that denies making the limiter take back from the keys before it what each of them recorded.
     * @param keys the keys with their limits; each key at most once
     * @param name what is limited, as metrics and traces name it
     * @param costs how many permits the call takes from each key, by position, each at least 1; a cost above one of
     *        its key's counts denies the call, without asking the store, with a message saying it can never pass
     * @return whether the call may proceed, with a message naming the deciding key
     * @throws IllegalArgumentException as {@link #allow(List, String)}, or if there is not one cost per key or a
     *         cost is under 1
     * @throws LimiterUnavailableException if the store cannot be reached and the limiter fails closed
     */
    public LimitResult allow(List<KeyedLimits> keys, String name, List<Long> costs) {
        KeysDecision.check(keys, name, costs);
        return decide(keys, name, new KeysDecision(keys, costs));
    }

    /** Observes a checked decision, and denies a call that can never pass without asking the store. */
    private LimitResult decide(List<KeyedLimits> keys, String name, KeysDecision decision) {
        LimiterObserver.Decision observed = this.observer.decisionStarted(this.store, keys, name);
        LimitResult never = decision.neverPasses();
        if (never != null) {
            observed.denied();
            return never;
        }
        return decide(decision, observed);
    }

    /**
     * Reports decisions to the given observer from now on (metrics and traces:
     * {@code io.pielock.observation.LimiterObservations} for Micrometer, which carries the replaceable observation
     * convention). The auto-configuration sets it when Micrometer is present.
     * @param observer the observer, {@link LimiterObserver#NONE} for none (the default)
     */
    public void setObserver(LimiterObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer must not be null");
    }

    private LimitResult decide(KeysDecision decision, LimiterObserver.Decision observed) {
        for (int i = 0; i < decision.size(); i++) {
            KeyedLimits current = decision.key(i);
            LimitAttempt attempt;
            try {
                attempt = this.store.tryConsume(current.key(), current.limits(), decision.cost(i));
            }
            catch (RuntimeException ex) {
                return unreachable(decision, i, ex, observed);
            }
            if (!attempt.allowed()) {
                refund(decision, i);
                observed.denied();
                return KeysDecision.denied(current.key(), attempt);
            }
            decision.admitted(i, attempt);
        }
        observed.allowed();
        return decision.allowed();
    }

    /** @return whether calls are allowed unchecked when the store cannot be reached */
    public boolean isFailOpen() {
        return this.failOpen;
    }

    /**
     * @return whether the store answers a recently denied call from memory until it could first fit
     *         ({@link RateLimitStore#remembersDenials()}, {@code pielock.limiter.remember-denials})
     */
    public boolean remembersDenials() {
        return this.store.remembersDenials();
    }

    /** @return how many calls were allowed unchecked because the store could not be reached (fail-open) */
    public long getFailOpenCount() {
        return this.failOpenPolicy.count();
    }

    private LimitResult unreachable(KeysDecision decision, int failed, RuntimeException ex,
            LimiterObserver.Decision observed) {
        KeyedLimits current = decision.key(failed);
        if (!this.failOpen) {
            refund(decision, failed);
            observed.unavailable(ex);
            throw new LimiterUnavailableException(current.key(), this.store.describe(), ex);
        }
        return this.failOpenPolicy.allowUnchecked(current, ex, observed);
    }

    /** Takes the call back from the keys before {@code until}, which recorded it. */
    private void refund(KeysDecision decision, int until) {
        decision.forEachToTakeBack(until, (keyed, recorded) -> {
            try {
                this.store.refund(keyed.key(), recorded);
            }
            catch (RuntimeException ex) {
                KeysDecision.refundFailed(logger, keyed, ex);
            }
        });
    }
}
