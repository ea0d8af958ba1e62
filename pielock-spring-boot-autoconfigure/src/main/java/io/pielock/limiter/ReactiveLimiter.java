package io.pielock.limiter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.pielock.key.Keys;

/**
 * The non-blocking sibling of {@link Limiter}: the same decisions, on the same state, answered as a {@link Mono}
 * without blocking a thread, for WebFlux and other reactive code. A {@code ReactiveLimiter} and a {@code Limiter}
 * over the same storage (the same Redis, or faces of one {@code InMemoryRateLimitStore}) count the same calls.
 * <pre>{@code
 * return limiter.allow("search:" + user, TimeUnit.SECOND, 2)
 *     .flatMap(result -> result.allowed() ? search(query) : Mono.error(tooMany(result)));
 * }</pre>
 * Semantics are {@link Limiter}'s (exact sliding windows or GCRA, one atomic step per key on the store's clock,
 * all or nothing over several keys decided in order with refunds, bounded memory, fail closed or open), with
 * these reactive rules:
 * <ul>
 * <li><b>Decided at subscription.</b> Calling {@code allow} does nothing: each subscription to the returned
 * {@code Mono} is one decision (so a {@code retry()} decides again, and is counted again). The {@code Mono}
 * emits one {@link LimitResult}, allowed or denied; a denial is a value, not an error.</li>
 * <li><b>Invalid arguments are error signals.</b> A key that is null, blank or longer than {@link Keys#MAX_LENGTH},
 * {@code count <= 0}, a window under 1 ms, a key given twice or a blank name: the {@code Mono} signals
 * {@link IllegalArgumentException} when subscribed to, and nothing is counted. Nothing is thrown at assembly, so
 * a key built from a request never breaks the chain that builds the answer.</li>
 * <li><b>Store unreachable.</b> Failing closed (the default), the {@code Mono} signals
 * {@link LimiterUnavailableException} with the store's error as cause (after taking the call back from the keys
 * before); failing open, it emits the call allowed unchecked, counted ({@link #getFailOpenCount()}), observed and
 * logged at WARN at most once every 10 seconds, as {@link Limiter} does.</li>
 * <li><b>Cancelled mid-decision.</b> A subscriber that cancels while several keys are being decided leaves the
 * keys decided so far counted (towards denying, never towards allowing more), as an allowed call that was not
 * used would.</li>
 * </ul>
 */
public class ReactiveLimiter {

    private static final Log logger = LogFactory.getLog(ReactiveLimiter.class);

    private final ReactiveRateLimitStore store;

    private final boolean failOpen;

    private final FailOpen failOpenPolicy = new FailOpen(logger);

    private volatile LimitCatalog catalog = LimitCatalog.NONE;

    private volatile LimiterObserver observer = LimiterObserver.NONE;

    /**
     * A limiter that fails closed: when the store cannot be reached, calls are denied.
     * @param store where calls are counted
     */
    public ReactiveLimiter(ReactiveRateLimitStore store) {
        this(store, false);
    }

    /**
     * @param store where calls are counted
     * @param failOpen whether calls are allowed (unchecked, counted and logged) when the store cannot be reached;
     *        otherwise they are denied with a {@link LimiterUnavailableException} error signal
     */
    public ReactiveLimiter(ReactiveRateLimitStore store, boolean failOpen) {
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.failOpen = failOpen;
    }

    /**
     * As {@link Limiter#allow(String, TimeUnit, long)}, decided at subscription.
     * @param key the rate limit's name
     * @param per the window
     * @param count how many calls the window admits
     * @return the decision (if allowed, the call has been counted); errors: {@link IllegalArgumentException} for
     *         invalid arguments, {@link LimiterUnavailableException} if the store cannot be reached (fail-closed)
     */
    public Mono<LimitResult> allow(String key, TimeUnit per, long count) {
        return allow(key, per, count, Limiter.PROGRAMMATIC);
    }

    /**
     * As {@link Limiter#allow(String, TimeUnit, long, String)}, decided at subscription.
     * @param key the rate limit's name
     * @param per the window
     * @param count how many calls the window admits
     * @param name what is limited, as metrics and traces name it (few distinct values, never a user id)
     * @return the decision; errors as {@link #allow(String, TimeUnit, long)}
     */
    public Mono<LimitResult> allow(String key, TimeUnit per, long count, String name) {
        return Mono.defer(() -> allow(key, List.of(Limit.of(count, per)), name));
    }

    /**
     * As {@link Limiter#allow(String, Duration, long)}, decided at subscription.
     * @param key the rate limit's name
     * @param window the window: a whole number of milliseconds, at least 1 ms
     * @param count how many calls the window admits
     * @return the decision; errors as {@link #allow(String, TimeUnit, long)}
     */
    public Mono<LimitResult> allow(String key, Duration window, long count) {
        return allow(key, window, count, Limiter.PROGRAMMATIC);
    }

    /**
     * As {@link Limiter#allow(String, Duration, long, String)}, decided at subscription.
     * @param key the rate limit's name
     * @param window the window: a whole number of milliseconds, at least 1 ms
     * @param count how many calls the window admits
     * @param name what is limited, as metrics and traces name it (few distinct values, never a user id)
     * @return the decision; errors as {@link #allow(String, TimeUnit, long)}
     */
    public Mono<LimitResult> allow(String key, Duration window, long count, String name) {
        return Mono.defer(() -> allow(key, List.of(Limit.of(count, window)), name));
    }

    /**
     * As {@link Limiter#allow(String, List)}: several limits of one key in one atomic step, decided at
     * subscription.
     * @param key the rate limit's name
     * @param limits the limits, with distinct windows
     * @return the decision; errors as {@link #allow(String, TimeUnit, long)}
     */
    public Mono<LimitResult> allow(String key, List<Limit> limits) {
        return allow(key, limits, Limiter.PROGRAMMATIC);
    }

    /**
     * As {@link Limiter#allow(String, List, String)}, decided at subscription.
     * @param key the rate limit's name
     * @param limits the limits, with distinct windows
     * @param name what is limited, as metrics and traces name it (few distinct values, never a user id)
     * @return the decision; errors as {@link #allow(String, TimeUnit, long)}
     */
    public Mono<LimitResult> allow(String key, List<Limit> limits, String name) {
        return Mono.defer(() -> allow(List.of(new KeyedLimits(key, limits)), name));
    }

    /**
     * As {@link Limiter#allow(String, String)}: a named limit ({@code pielock.limiter.limits.<name>}), looked up at
     * subscription; an unknown name is an {@code IllegalArgumentException} error signal listing the known ones.
     * @param key the rate limit's name
     * @param limitName the named limit's name
     * @return the decision
     */
    public Mono<LimitResult> allow(String key, String limitName) {
        return Mono.defer(() -> allow(key, Limiter.named(this.catalog, key, limitName), Limiter.PROGRAMMATIC));
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
     * As {@link Limiter#allow(List)}: the limits of several keys, decided in order at subscription; a key that
     * denies makes the limiter take the call back from the keys before it.
     * @param keys the keys with their limits; each key at most once
     * @return the decision, naming the deciding key; errors as {@link #allow(String, TimeUnit, long)}
     */
    public Mono<LimitResult> allow(List<KeyedLimits> keys) {
        return allow(keys, Limiter.PROGRAMMATIC);
    }

    /**
     * As {@link Limiter#allow(List, String)}, decided at subscription ({@code @RateLimited} passes its method,
     * {@code ClassName.method}).
     * @param keys the keys with their limits; each key at most once
     * @param name what is limited, as metrics and traces name it (few distinct values, never a user id)
     * @return the decision, naming the deciding key; errors as {@link #allow(String, TimeUnit, long)}
     */
    public Mono<LimitResult> allow(List<KeyedLimits> keys, String name) {
        return allow(keys, name, 1);
    }

    /**
     * As {@link Limiter#allow(String, TimeUnit, long, long)}: a call of {@code cost} permits, decided at
     * subscription.
     * @param key the rate limit's name
     * @param per the window
     * @param count how many permits the window admits
     * @param cost how many permits this call takes, at least 1
     * @return the decision, naming the key; errors as {@link #allow(String, TimeUnit, long)}, and an
     *         {@link IllegalArgumentException} for {@code cost <= 0}
     */
    public Mono<LimitResult> allow(String key, TimeUnit per, long count, long cost) {
        return Mono.defer(() -> allow(key, List.of(Limit.of(count, per)), cost));
    }

    /**
     * As {@link Limiter#allow(String, List, long)}: a call of {@code cost} permits against several limits of one
     * key, decided at subscription.
     * @param key the rate limit's name
     * @param limits the limits, with distinct windows
     * @param cost how many permits this call takes, at least 1
     * @return the decision, naming the key; errors as {@link #allow(String, TimeUnit, long, long)}
     */
    public Mono<LimitResult> allow(String key, List<Limit> limits, long cost) {
        return Mono.defer(() -> allow(List.of(new KeyedLimits(key, limits)), Limiter.PROGRAMMATIC, cost));
    }

    /**
     * As {@link Limiter#allow(List, String, long)}, decided at subscription.
     * @param keys the keys with their limits; each key at most once
     * @param name what is limited, as metrics and traces name it (few distinct values, never a user id)
     * @param cost how many permits this call takes, at least 1
     * @return the decision, naming the deciding key; errors as {@link #allow(String, TimeUnit, long, long)}
     */
    public Mono<LimitResult> allow(List<KeyedLimits> keys, String name, long cost) {
        return Mono.defer(() -> {
            KeysDecision.check(keys, name, cost);
            return decide(keys, name, new KeysDecision(keys, cost));
        });
    }

    /**
     * As {@link Limiter#allow(List, String, List)}: a call that takes a different number of permits from each key,
     * decided at subscription.
     * @param keys the keys with their limits; each key at most once
     * @param name what is limited, as metrics and traces name it (few distinct values, never a user id)
     * @param costs how many permits the call takes from each key, by position, each at least 1
     * @return the decision, naming the deciding key; errors as {@link Limiter#allow(List, String, List)}
     */
    public Mono<LimitResult> allow(List<KeyedLimits> keys, String name, List<Long> costs) {
        return Mono.defer(() -> {
            KeysDecision.check(keys, name, costs);
            return decide(keys, name, new KeysDecision(keys, costs));
        });
    }

    /** Observes a checked decision, and denies a call that can never pass without asking the store. */
    private Mono<LimitResult> decide(List<KeyedLimits> keys, String name, KeysDecision decision) {
        LimiterObserver.Decision observed = this.observer.decisionStarted(this.store, keys, name);
        LimitResult never = decision.neverPasses();
        if (never != null) {
            observed.denied();
            return Mono.just(never);
        }
        return decide(decision, 0, observed);
    }

    /**
     * Reports decisions to the given observer from now on (the auto-configuration gives it the {@link Limiter}'s).
     * @param observer the observer, {@link LimiterObserver#NONE} for none (the default)
     */
    public void setObserver(LimiterObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer must not be null");
    }

    /** @return whether calls are allowed unchecked when the store cannot be reached */
    public boolean isFailOpen() {
        return this.failOpen;
    }

    /** @return how many calls were allowed unchecked because the store could not be reached (fail-open) */
    public long getFailOpenCount() {
        return this.failOpenPolicy.count();
    }

    /** @return the store */
    public ReactiveRateLimitStore getStore() {
        return this.store;
    }

    /** Decides key {@code index} and, if it admits the call, the keys after it. */
    private Mono<LimitResult> decide(KeysDecision decision, int index, LimiterObserver.Decision observed) {
        if (index == decision.size()) {
            observed.allowed();
            return Mono.just(decision.allowed());
        }
        KeyedLimits current = decision.key(index);
        return Mono.defer(() -> this.store.tryConsume(current.key(), current.limits(), decision.cost(index)))
            .switchIfEmpty(Mono.error(() -> new IllegalStateException("Rate limit store " + this.store.describe()
                    + " answered nothing for key: " + current.key())))
            // the error mapper sees only the store's errors: what follows a success is not inside it
            .flatMapMany(attempt -> decided(decision, index, attempt, observed),
                    ex -> unreachable(decision, index, ex, observed), Mono::empty)
            .next();
    }

    private Mono<LimitResult> decided(KeysDecision decision, int index, LimitAttempt attempt,
            LimiterObserver.Decision observed) {
        if (!attempt.allowed()) {
            return refund(decision, index).then(Mono.fromSupplier(() -> {
                observed.denied();
                return KeysDecision.denied(decision.key(index).key(), attempt);
            }));
        }
        decision.admitted(index, attempt);
        return decide(decision, index + 1, observed);
    }

    private Mono<LimitResult> unreachable(KeysDecision decision, int failed, Throwable ex,
            LimiterObserver.Decision observed) {
        KeyedLimits current = decision.key(failed);
        if (!this.failOpen) {
            return refund(decision, failed).then(Mono.error(() -> {
                observed.unavailable(ex);
                return new LimiterUnavailableException(current.key(), this.store.describe(), ex);
            }));
        }
        return Mono.fromSupplier(() -> this.failOpenPolicy.allowUnchecked(current, ex, observed));
    }

    /** Takes the call back from the keys before {@code until}, one after another; a failure is logged. */
    private Mono<Void> refund(KeysDecision decision, int until) {
        if (until == 0) {
            return Mono.empty();
        }
        List<Mono<Void>> each = new ArrayList<>(until);
        decision.forEachToTakeBack(until, (keyed, recorded) -> each.add(
                Mono.defer(() -> this.store.refund(keyed.key(), recorded)).onErrorResume(ex -> {
                    KeysDecision.refundFailed(logger, keyed, ex);
                    return Mono.empty();
                })));
        return Flux.concat(each).then();
    }
}
