package io.pielock.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

import io.pielock.lock.LockOptions;

/**
 * Configuration properties for pielock ({@code pielock.*}).
 */
@ConfigurationProperties("pielock")
public class PielockProperties {

    /**
     * Whether to create pielock's beans and aspects.
     */
    private boolean enabled = true;

    /**
     * Where locks and limits live: 'redis' (shared by every instance) or 'memory' (this JVM only; for tests and
     * single-instance development).
     */
    private Store store = Store.REDIS;

    /**
     * Prefix of every Redis key pielock writes. Must not contain '{' or '}'.
     */
    private String keyPrefix = "pielock:";

    private final Lock lock = new Lock();

    private final Limiter limiter = new Limiter();

    private final Redis redis = new Redis();

    /**
     * Reads an advice order straight from the Environment: advisors are created early, before
     * {@code @ConfigurationProperties} beans should be.
     */
    static int aspectOrder(Environment environment, String property, int defaultOrder) {
        return Binder.get(environment).bind(property, Integer.class).orElse(defaultOrder);
    }

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Store getStore() {
        return this.store;
    }

    public void setStore(Store store) {
        this.store = store;
    }

    public String getKeyPrefix() {
        return this.keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    public Lock getLock() {
        return this.lock;
    }

    public Redis getRedis() {
        return this.redis;
    }

    public Limiter getLimiter() {
        return this.limiter;
    }

    /** Where locks and limits live. */
    public enum Store {

        /** Redis, through Spring Data Redis: shared by every application instance. */
        REDIS,

        /** This JVM only, with the same semantics: for tests and single-instance development. */
        MEMORY
    }

    /** Defaults of every lock; {@code @DistributedLocked} attributes and {@code LockOptions} override them. */
    public static class Lock {

        /** Just outside {@code @Transactional}, {@code @Cacheable} and {@code @Retryable} at their defaults. */
        static final int DEFAULT_ASPECT_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

        /**
         * Lease length: a lock frees itself this long after it was acquired or last renewed, so a crashed
         * holder cannot keep it.
         */
        private Duration expires = Duration.ofSeconds(30);

        /**
         * How long an acquisition waits for the holder to release; 0 means one attempt.
         */
        private Duration timeout = Duration.ofSeconds(60);

        /**
         * Fallback poll interval while waiting; waiters are normally woken as soon as the holder releases.
         */
        private Duration retryAfter = Duration.ofSeconds(1);

        /**
         * Maximum number of attempts per acquisition, spaced by 'retry-after', whether the holder is another
         * process or another thread of this application; 0 means no limit but the timeout.
         */
        private int tries = 0;

        /**
         * Whether the thread that holds a lock may acquire it again (and must release it as often). When false, such
         * an acquisition fails at once, as in the original pie-lock.
         */
        private boolean reentrant = true;

        /**
         * Whether held locks have their lease renewed in the background (about every third of 'expires').
         */
        private boolean renew = true;

        /**
         * Order of the @DistributedLocked advice; lower runs further out. The default runs outside
         * @Transactional (whose default order is the lowest precedence), so the lock outlives the commit.
         */
        private int aspectOrder = DEFAULT_ASPECT_ORDER;

        /**
         * How many Redis replicas must acknowledge an acquisition (Redis WAIT, for at most a third of 'expires'
         * and never more than 1s) before it counts; a shortfall releases the lock and fails the acquisition. 0
         * does not wait. Redis store only.
         */
        private int minReplicasAcked = 0;

        public Duration getExpires() {
            return this.expires;
        }

        public void setExpires(Duration expires) {
            this.expires = expires;
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Duration getRetryAfter() {
            return this.retryAfter;
        }

        public void setRetryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
        }

        public int getTries() {
            return this.tries;
        }

        public void setTries(int tries) {
            this.tries = tries;
        }

        public boolean isRenew() {
            return this.renew;
        }

        public void setRenew(boolean renew) {
            this.renew = renew;
        }

        public boolean isReentrant() {
            return this.reentrant;
        }

        public void setReentrant(boolean reentrant) {
            this.reentrant = reentrant;
        }

        public int getAspectOrder() {
            return this.aspectOrder;
        }

        public void setAspectOrder(int aspectOrder) {
            this.aspectOrder = aspectOrder;
        }

        public int getMinReplicasAcked() {
            return this.minReplicasAcked;
        }

        public void setMinReplicasAcked(int minReplicasAcked) {
            this.minReplicasAcked = minReplicasAcked;
        }

        /**
         * @param environment where the values were written, to quote them as written in an error
         * @return the options these properties give
         * @throws InvalidPielockPropertyException naming the property, its value as written and its default
         */
        LockOptions toOptions(Environment environment) {
            LockOptions defaults = LockOptions.defaults();
            LockOptions options = defaults;
            options = check(environment, "pielock.lock.expires", this.expires, text(defaults.expires()),
                    options::withExpires);
            options = check(environment, "pielock.lock.timeout", this.timeout,
                    text(defaults.timeout()) + "; 0 means one attempt", options::withTimeout);
            options = check(environment, "pielock.lock.retry-after", this.retryAfter, text(defaults.retryAfter()),
                    options::withRetryAfter);
            options = check(environment, "pielock.lock.tries", this.tries, "0", options::withTries);
            return options.withRenew(this.renew).withReentrant(this.reentrant);
        }

        /**
         * Applies one property through {@link LockOptions}, which alone decides what is valid, and names the
         * property, the value as written and the default when it is not.
         */
        private static <T> LockOptions check(Environment environment, String property, T value,
                String defaultValue, Function<T, LockOptions> apply) {
            try {
                return apply.apply(value);
            }
            catch (IllegalArgumentException | NullPointerException ex) {
                // LockOptions says "<option> <rule>, but was <value>": keep the rule, show the value as written
                String message = String.valueOf(ex.getMessage());
                String rule = message.substring(message.indexOf(' ') + 1);
                int but = rule.indexOf(", but was ");
                throw invalid(environment, property, (but >= 0) ? rule.substring(0, but) : rule, value,
                        defaultValue);
            }
        }

        private static InvalidPielockPropertyException invalid(Environment environment, String property,
                String rule, Object value, String defaultValue) {
            String written = (environment != null) ? environment.getProperty(property) : null;
            return new InvalidPielockPropertyException(property, rule + ", but was "
                    + ((written != null) ? written : value) + " (default " + defaultValue + ")", null);
        }

        private static String text(Duration duration) {
            return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
        }
    }

    /** Rate limiting: what happens when the store cannot be reached, and where the @RateLimited advice runs. */
    public static class Limiter {

        /** Just outside @DistributedLocked at its default, so a denied call never waits for a lock. */
        static final int DEFAULT_ASPECT_ORDER = Lock.DEFAULT_ASPECT_ORDER - 100;

        /**
         * Whether calls are allowed (unchecked, counted and logged) when the rate limit store cannot be reached,
         * instead of being denied with an exception.
         */
        private boolean failOpen = false;

        /**
         * Whether a denial Redis answered is remembered until the call could first fit, and until then calls of
         * the same key, limits and cost are denied without asking Redis (which would deny them too, unless another
         * instance took back a call of that key meanwhile, as when a later key of its decision denied).
         */
        private boolean rememberDenials = true;

        /**
         * Order of the @RateLimited advice, lower running further out; the default runs outside
         * @DistributedLocked and @Transactional, so a denied call never waits for a lock.
         */
        private int aspectOrder = DEFAULT_ASPECT_ORDER;

        /**
         * Named limits, such as plans: name to one or more comma-separated windows, each count/window (free:
         * "5/1s, 100/1m"), used by @RateLimited(limit = ...) and Limiter.allow(key, name). Validated at startup;
         * looked up in the Environment at each call, so a changed value applies without a restart.
         */
        private Map<String, String> limits = new LinkedHashMap<>();

        /** HTTP rate limit rules, applied to requests by path without code. */
        private final Http http = new Http();

        public Http getHttp() {
            return this.http;
        }

        public Map<String, String> getLimits() {
            return this.limits;
        }

        public void setLimits(Map<String, String> limits) {
            this.limits = limits;
        }

        public boolean isFailOpen() {
            return this.failOpen;
        }

        public void setFailOpen(boolean failOpen) {
            this.failOpen = failOpen;
        }

        public boolean isRememberDenials() {
            return this.rememberDenials;
        }

        public void setRememberDenials(boolean rememberDenials) {
            this.rememberDenials = rememberDenials;
        }

        public int getAspectOrder() {
            return this.aspectOrder;
        }

        public void setAspectOrder(int aspectOrder) {
            this.aspectOrder = aspectOrder;
        }
    }

    /** HTTP rate limit rules: requests limited by path, method and a key, without code. */
    public static class Http {

        /**
         * Rules, each limiting the requests it matches; a request that matches several must pass all of them.
         */
        private List<Rule> rules = new ArrayList<>();

        /**
         * What happens to a request for which a rule's key evaluates to null or blank, or its cost to no whole number
         * of at least 1 (logged as an error, at most once every 10 seconds per rule): 'deny' answers 500, 'allow'
         * lets it through without that rule.
         */
        private OnMissingKey onMissingKey = OnMissingKey.DENY;

        public List<Rule> getRules() {
            return this.rules;
        }

        public void setRules(List<Rule> rules) {
            this.rules = rules;
        }

        public OnMissingKey getOnMissingKey() {
            return this.onMissingKey;
        }

        public void setOnMissingKey(OnMissingKey onMissingKey) {
            this.onMissingKey = onMissingKey;
        }
    }

    /** What happens to a request for which a rule gives no key or no valid cost. */
    public enum OnMissingKey {

        /** Answer 500: the rule cannot tell whose request it is. */
        DENY,

        /** Let the request through without that rule. */
        ALLOW
    }

    /** One HTTP rate limit rule. */
    public static class Rule {

        /**
         * Name of the rule in metrics, traces, logs and keys; defaults to its property, such as
         * 'pielock.limiter.http.rules[0]'.
         */
        private String name;

        /**
         * Path patterns (Spring PathPattern syntax, such as '/api/**' or '/orders/{id}'), matched against the path
         * within the application.
         */
        private List<String> paths = new ArrayList<>();

        /**
         * HTTP methods the rule applies to, such as GET or POST; empty for all.
         */
        private List<String> methods = new ArrayList<>();

        /**
         * SpEL expression for the key, over #request (remoteAddr, getHeader(name), method, path) and #principal
         * (the authenticated Principal or null), such as '#request.remoteAddr' or '#principal?.name'.
         */
        private String key;

        /**
         * Named limit (pielock.limiter.limits.<name>) of the rule; give either this or 'limits'.
         */
        private String limit;

        /**
         * Inline limits of the rule, one or more comma-separated count/window, such as '5/1s, 100/1m'; give either
         * this or 'limit'.
         */
        private String limits;

        /**
         * Permits a request takes from the rule's limits: a whole number, or a SpEL expression over #request and
         * #principal evaluated per request, such as "#request.getHeader('X-Batch-Size')".
         */
        private String cost = "1";

        public String getName() {
            return this.name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public List<String> getPaths() {
            return this.paths;
        }

        public void setPaths(List<String> paths) {
            this.paths = paths;
        }

        public List<String> getMethods() {
            return this.methods;
        }

        public void setMethods(List<String> methods) {
            this.methods = methods;
        }

        public String getKey() {
            return this.key;
        }

        public void setKey(String key) {
            this.key = key;
        }

        public String getLimit() {
            return this.limit;
        }

        public void setLimit(String limit) {
            this.limit = limit;
        }

        public String getLimits() {
            return this.limits;
        }

        public void setLimits(String limits) {
            this.limits = limits;
        }

        public String getCost() {
            return this.cost;
        }

        public void setCost(String cost) {
            this.cost = cost;
        }
    }

    /**
     * A dedicated Redis connection for pielock. Without a host, pielock uses the application's own
     * RedisConnectionFactory (spring.data.redis.*).
     */
    public static class Redis {

        /**
         * Redis server host of pielock's dedicated connection; when unset, spring.data.redis.* is used.
         */
        private String host;

        /**
         * Redis server port of the dedicated connection.
         */
        private int port = 6379;

        /**
         * Login username of the dedicated connection (Redis 6 ACL).
         */
        private String username;

        /**
         * Login password of the dedicated connection.
         */
        private String password;

        /**
         * Database index of the dedicated connection.
         */
        private int database = 0;

        /**
         * Command timeout of the dedicated connection: how long a lock or limit call may wait for Redis.
         */
        private Duration timeout = Duration.ofSeconds(2);

        public String getHost() {
            return this.host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return this.port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getUsername() {
            return this.username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return this.password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public int getDatabase() {
            return this.database;
        }

        public void setDatabase(int database) {
            this.database = database;
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        @Override
        public String toString() {
            // never print credentials, the username included: it is half of a login
            return "Redis[host=" + this.host + ", port=" + this.port + ", credentials="
                    + ((this.username != null || this.password != null) ? "(set)" : "(none)") + ", database="
                    + this.database + ", timeout=" + this.timeout + "]";
        }
    }
}
