package io.pielock.actuate;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;

import io.pielock.interceptor.LockOperation;
import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitCatalog;
import io.pielock.limiter.Limiter;
import io.pielock.lock.HeldLock;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockState;
import io.pielock.lock.LockStore;
import io.pielock.lock.LockTemplate;
import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.store.redis.RedisLockStore;

/**
 * {@link Endpoint @Endpoint} {@code pielock}: read-only, what pielock does in this JVM. {@code GET /actuator/pielock}
 * gives the store, the defaults of locks and rate limits, the locks held and the threads waiting, and the
 * {@code @DistributedLocked} and {@code @RateLimited} methods (with their costs, conditions and named limits), the
 * named limits as calls find them now, and the HTTP rate limit rules; {@code GET /actuator/pielock/locks/{key}} what the
 * store says about one lock now.
 * <p>
 * Lock keys often carry user data (an order id, a user name), so they are masked as {@code ******} unless
 * {@code management.endpoint.pielock.show-values} allows them, as Boot's {@code env} and {@code configprops}
 * endpoints do with values; {@link SanitizingFunction} beans see each key shown (as {@link SanitizableData} named
 * {@value #KEY_DATA}). Key expressions (their SpEL text) are code, not data, and always shown; owner tokens never
 * are.
 */
@Endpoint(id = "pielock")
public class PielockEndpoint {

    /** The path segment before a lock's key: {@code /actuator/pielock/locks/{key}}. */
    static final String LOCKS = "locks";

    /** The name under which keys are handed to {@link SanitizingFunction}s. */
    public static final String KEY_DATA = "pielock.key";

    private final LockTemplate lockTemplate;

    private final LockStore lockStore;

    private final Limiter limiter;

    private final AnnotatedMethods annotatedMethods;

    private final Sanitizer sanitizer;

    private final Show showValues;

    private final Supplier<List<HttpRuleDescriptor>> httpRules;

    /**
     * @param lockTemplate the locks (its defaults, its holds and waiters)
     * @param lockStore where the locks live
     * @param limiter the rate limits (its defaults)
     * @param annotatedMethods finds the annotated methods
     * @param sanitizingFunctions applied to keys that are shown
     * @param showValues when to show keys unmasked
     */
    public PielockEndpoint(LockTemplate lockTemplate, LockStore lockStore, Limiter limiter,
            AnnotatedMethods annotatedMethods, Iterable<SanitizingFunction> sanitizingFunctions, Show showValues) {
        this(lockTemplate, lockStore, limiter, annotatedMethods, sanitizingFunctions, showValues, List::of);
    }

    /**
     * @param lockTemplate the locks (its defaults, its holds and waiters)
     * @param lockStore where the locks live
     * @param limiter the rate limits (its defaults and named limits)
     * @param annotatedMethods finds the annotated methods
     * @param sanitizingFunctions applied to keys that are shown
     * @param showValues when to show keys unmasked
     * @param httpRules the HTTP rate limit rules ({@link HttpRuleDescriptors}), read when the endpoint is
     */
    public PielockEndpoint(LockTemplate lockTemplate, LockStore lockStore, Limiter limiter,
            AnnotatedMethods annotatedMethods, Iterable<SanitizingFunction> sanitizingFunctions, Show showValues,
            Supplier<List<HttpRuleDescriptor>> httpRules) {
        this.httpRules = httpRules;
        this.lockTemplate = lockTemplate;
        this.lockStore = lockStore;
        this.limiter = limiter;
        this.annotatedMethods = annotatedMethods;
        this.sanitizer = new Sanitizer(sanitizingFunctions);
        this.showValues = showValues;
    }

    /**
     * Everything pielock does in this JVM; keys shown as {@code show-values} says for a caller without a security
     * context (JMX): {@code when-authorized} shows them.
     * @return the report
     */
    @ReadOperation
    public PielockDescriptor pielock() {
        return pielock(this.showValues.isShown(true));
    }

    /**
     * @param kind {@code locks} (on the web: {@code /actuator/pielock/locks/{key}})
     * @param key the lock's name (on the web, the rest of the path, slashes included)
     * @return what the store says about the lock now and whether this JVM holds it, or {@code null} for another
     *         kind
     */
    @ReadOperation
    public LockDescriptor lock(@Selector String kind, @Selector(match = Match.ALL_REMAINING) String... key) {
        return LOCKS.equals(kind) ? lock(String.join("/", key), this.showValues.isShown(true)) : null;
    }

    PielockDescriptor pielock(boolean showKeys) {
        LockOptions defaults = this.lockTemplate.defaults();
        List<HeldLockDescriptor> held = this.lockTemplate.heldLocks().stream()
            .map(hold -> HeldLockDescriptor.of(hold, key(hold.key(), showKeys)))
            .toList();
        List<WaitingDescriptor> waiting = this.lockTemplate.waitingThreads().entrySet().stream()
            .map(entry -> new WaitingDescriptor(key(entry.getKey(), showKeys), entry.getValue()))
            .toList();
        LimiterDefaultsDescriptor limiter = new LimiterDefaultsDescriptor(this.limiter.isFailOpen(),
                this.limiter.remembersDenials());
        return new PielockDescriptor(StoreDescriptor.of(this.lockStore), LockDefaultsDescriptor.of(defaults), limiter,
                held, waiting, this.annotatedMethods.lockedMethods(defaults), this.annotatedMethods.rateLimitedMethods(),
                namedLimits(), this.httpRules.get());
    }

    /** The named limits as a call would find them now (the Environment may have changed since startup). */
    private List<NamedLimitDescriptor> namedLimits() {
        LimitCatalog catalog = this.limiter.catalog();
        List<NamedLimitDescriptor> found = new ArrayList<>();
        for (String name : new TreeSet<>(catalog.names())) {
            try {
                List<Limit> limits = catalog.find(name);
                if (limits != null) {
                    found.add(new NamedLimitDescriptor(name, limits.stream().map(LimitDescriptor::of).toList(),
                            null));
                }
            }
            catch (IllegalArgumentException ex) {
                found.add(new NamedLimitDescriptor(name, List.of(), ex.getMessage()));
            }
        }
        return found;
    }

    LockDescriptor lock(String key, boolean showKeys) {
        HeldLockDescriptor heldHere = this.lockTemplate.heldLocks().stream()
            .filter(hold -> hold.key().equals(key))
            .findFirst()
            .map(hold -> HeldLockDescriptor.of(hold, key(key, showKeys)))
            .orElse(null);
        Optional<LockState> state;
        try {
            state = this.lockStore.inspect(key);
        }
        catch (RuntimeException ex) {
            return new LockDescriptor(key(key, showKeys), "unknown", null, null, heldHere,
                    "the store could not be read: " + ex);
        }
        if (state.isEmpty()) {
            return new LockDescriptor(key(key, showKeys), "unknown", null, null, heldHere,
                    "the store (" + this.lockStore.getClass().getName() + ") cannot inspect locks");
        }
        LockState lock = state.get();
        return new LockDescriptor(key(key, showKeys), lock.held() ? "held" : "free", text(lock.leaseLeft()),
                lock.lastFencingToken(), heldHere, null);
    }

    private String key(String key, boolean show) {
        Object value = this.sanitizer.sanitize(new SanitizableData(null, KEY_DATA, key), show);
        return (value != null) ? value.toString() : null;
    }

    /** @return ISO-8601 text to the millisecond ({@code PT19.937S}), or {@code null} */
    private static String text(Duration duration) {
        return (duration != null) ? duration.truncatedTo(ChronoUnit.MILLIS).toString() : null;
    }

    /**
     * The endpoint's report. Durations are ISO-8601 text ({@code PT30S}), instants too.
     *
     * @param store where locks and limits live
     * @param lock the defaults of every lock ({@code pielock.lock.*}, as the {@code LockTemplate} uses them)
     * @param limiter the rate limiter's settings ({@code pielock.limiter.*})
     * @param heldLocks the locks this JVM holds, ordered by key
     * @param waitingThreads the keys threads of this JVM wait for, ordered by key
     * @param lockedMethods the {@code @DistributedLocked} methods
     * @param rateLimitedMethods the {@code @RateLimited} methods
     * @param namedLimits the named limits ({@code pielock.limiter.limits.<name>}) as calls find them now, by name
     * @param httpRules the HTTP rate limit rules ({@code pielock.limiter.http.rules}), in order
     */
    public record PielockDescriptor(StoreDescriptor store, LockDefaultsDescriptor lock,
            LimiterDefaultsDescriptor limiter, List<HeldLockDescriptor> heldLocks,
            List<WaitingDescriptor> waitingThreads, List<LockedMethodDescriptor> lockedMethods,
            List<RateLimitedMethodDescriptor> rateLimitedMethods, List<NamedLimitDescriptor> namedLimits,
            List<HttpRuleDescriptor> httpRules) implements OperationResponseBody {
    }

    /**
     * A named limit.
     *
     * @param name its name
     * @param limits its windows, each decided on every call that uses it
     * @param problem why its definition cannot be used now (changed to an invalid one since startup), or
     *        {@code null}
     */
    public record NamedLimitDescriptor(String name, List<LimitDescriptor> limits, String problem) {
    }

    /**
     * An HTTP rate limit rule.
     *
     * @param name the rule's name
     * @param paths its path patterns
     * @param methods the HTTP methods it applies to, empty for all
     * @param key its key expression (SpEL text)
     * @param limit its named limit, or {@code null} when it has inline {@code limits}
     * @param limits its inline limits, empty when it has a named {@code limit}
     * @param cost the permits a request takes: a whole number or an expression (SpEL text)
     */
    public record HttpRuleDescriptor(String name, List<String> paths, List<String> methods, String key,
            String limit, List<LimitDescriptor> limits, String cost) {
    }

    /**
     * Where locks live.
     *
     * @param type {@code redis}, {@code memory}, or {@code custom} for a store of the application's own
     * @param description the store's own description: for Redis its hosts and ports (never credentials)
     * @param storeClass the store's class
     */
    public record StoreDescriptor(String type, String description, String storeClass) {

        static StoreDescriptor of(LockStore store) {
            String type = (store instanceof RedisLockStore) ? "redis"
                    : (store instanceof InMemoryLockStore) ? "memory" : "custom";
            return new StoreDescriptor(type, store.describe(), store.getClass().getName());
        }
    }

    /**
     * The options a lock uses when neither its call nor its annotation gives them.
     *
     * @param expires the lease
     * @param timeout how long an acquisition waits
     * @param retryAfter the fallback poll interval while waiting
     * @param tries the most attempts per acquisition, {@code 0} for no limit but the timeout
     * @param reentrant whether the holding thread may acquire again
     * @param renew whether held leases are renewed
     */
    public record LockDefaultsDescriptor(String expires, String timeout, String retryAfter, int tries,
            boolean reentrant, boolean renew) {

        static LockDefaultsDescriptor of(LockOptions options) {
            return new LockDefaultsDescriptor(text(options.expires()), text(options.timeout()),
                    text(options.retryAfter()), options.tries(), options.reentrant(), options.renew());
        }
    }

    /**
     * The rate limiter's settings.
     *
     * @param failOpen whether calls pass unchecked while the store cannot be reached
     * @param rememberDenials whether a recently denied call is denied from memory, without asking the store, until
     *        it could first fit ({@code pielock.limiter.remember-denials}; always false on the in-memory store)
     */
    public record LimiterDefaultsDescriptor(boolean failOpen, boolean rememberDenials) {
    }

    /**
     * A lock this JVM holds.
     *
     * @param key the lock's name, or {@code ******}
     * @param fencingToken the fencing token it was acquired with
     * @param heldSince when its lease began
     * @param leaseLeft how long its lease still runs, as this JVM counts it
     * @param thread the holding thread's name
     * @param depth how many times that thread holds it
     * @param renewals how many times its lease was renewed
     * @param lost whether its lease was lost
     */
    public record HeldLockDescriptor(String key, long fencingToken, String heldSince, String leaseLeft, String thread,
            int depth, int renewals, boolean lost) {

        static HeldLockDescriptor of(HeldLock hold, String key) {
            return new HeldLockDescriptor(key, hold.fencingToken(),
                    hold.heldSince().truncatedTo(ChronoUnit.MILLIS).toString(), text(hold.leaseLeft()), hold.thread(), hold.depth(), hold.renewals(), hold.lost());
        }
    }

    /**
     * A key threads of this JVM wait for.
     *
     * @param key the lock's name, or {@code ******}
     * @param threads how many threads wait for it
     */
    public record WaitingDescriptor(String key, int threads) {
    }

    /**
     * A {@code @DistributedLocked} method.
     *
     * @param bean the bean's name
     * @param method the method
     * @param key the key expression (SpEL text)
     * @param prefix the text put before the evaluated key
     * @param expires the lease, the method's own or the default
     * @param timeout how long a call waits, the method's own or the default
     * @param retryAfter the poll interval while waiting, the method's own or the default
     * @param tries the most attempts per call, the method's own or the default
     * @param reentrant whether the holding thread may call it again under the lock
     * @param fallback the fallback method's name, or {@code null}
     * @param problem why calls are not locked (never intercepted, or an invalid annotation), or {@code null}
     */
    public record LockedMethodDescriptor(String bean, String method, String key, String prefix, String expires,
            String timeout, String retryAfter, Integer tries, Boolean reentrant, String fallback, String problem) {

        static LockedMethodDescriptor of(String bean, String method, LockOperation operation, LockOptions defaults,
                String problem) {
            LockOptions options = operation.options(defaults);
            return new LockedMethodDescriptor(bean, method, operation.keyText(), operation.prefix(),
                    text(options.expires()), text(options.timeout()), text(options.retryAfter()), options.tries(),
                    options.reentrant(),
                    (operation.fallback() != null) ? operation.fallback().getMethod().getName() : null, problem);
        }

        static LockedMethodDescriptor invalid(String bean, String method, String problem) {
            return new LockedMethodDescriptor(bean, method, null, null, null, null, null, null, null, null,
                    problem);
        }
    }

    /**
     * A {@code @RateLimited} method.
     *
     * @param bean the bean's name
     * @param method the method
     * @param keys its limits, grouped by key
     * @param cost the permits a call takes: a whole number or an expression (SpEL text); {@code null} for an
     *        invalid annotation
     * @param fallback the fallback method's name, or {@code null}
     * @param problem why calls are not limited (never intercepted, or an invalid annotation), or {@code null}
     */
    public record RateLimitedMethodDescriptor(String bean, String method, List<KeyLimitsDescriptor> keys,
            String cost, String fallback, String problem) {
    }

    /**
     * The limits of one key of a {@code @RateLimited} method.
     *
     * @param key the key expression (SpEL text), or the method's own key when the annotation gives none
     * @param expression whether {@code key} is an expression evaluated per call
     * @param limits the limits, each decided on every call
     * @param condition when the limits apply ({@code condition}, SpEL text), or {@code null} for always
     * @param namedLimits the named limits that also apply ({@code limit}: a name, or an expression giving one per
     *        call), empty for none
     */
    public record KeyLimitsDescriptor(String key, boolean expression, List<LimitDescriptor> limits, String condition,
            List<NamedLimitUseDescriptor> namedLimits) {
    }

    /**
     * A named limit a {@code @RateLimited} method uses.
     *
     * @param limit the name, or the expression giving one per call (SpEL text)
     * @param expression whether {@code limit} is an expression evaluated per call
     */
    public record NamedLimitUseDescriptor(String limit, boolean expression) {
    }

    /**
     * One limit.
     *
     * @param count how many calls the window admits
     * @param window how far back calls are counted
     * @param algorithm how they are counted
     */
    public record LimitDescriptor(long count, String window, String algorithm) {

        static LimitDescriptor of(Limit limit) {
            return new LimitDescriptor(limit.count(), text(limit.window()), limit.algorithm().name());
        }
    }

    /**
     * What the store says about one lock now.
     *
     * @param key the lock's name, or {@code ******}
     * @param state {@code held}, {@code free}, or {@code unknown} (the store could not be read, or cannot inspect)
     * @param leaseLeft while held, how long the holder's lease still runs, by the store's clock
     * @param lastFencingToken the last fencing token issued for the key while the store keeps it (as long as the
     *        lease it was issued with), or {@code null}: none within that time, or unknown
     * @param heldHere this JVM's hold on it, or {@code null} if this JVM does not hold it
     * @param error why the state is unknown, or {@code null}
     */
    public record LockDescriptor(String key, String state, String leaseLeft, Long lastFencingToken,
            HeldLockDescriptor heldHere, String error) implements OperationResponseBody {
    }
}
