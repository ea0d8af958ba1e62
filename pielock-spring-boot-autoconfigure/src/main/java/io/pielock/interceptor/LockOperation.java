package io.pielock.interceptor;

import java.lang.reflect.Method;
import java.time.Duration;

import org.springframework.expression.Expression;

import io.pielock.lock.LockOptions;

/**
 * One {@code @DistributedLocked} method, read and validated once: its parsed key expression, prefix, option
 * overrides and fallback.
 */
public final class LockOperation {

    private final Method method;

    private final Expression key;

    private final String keyText;

    private final String prefix;

    private final Duration expires;

    private final Duration timeout;

    private final Duration retryAfter;

    private final int tries;

    private final boolean reentrant;

    private final FallbackMethod fallback;

    private final String name;

    private final LockedResult result;

    private volatile Resolved resolved;

    LockOperation(Method method, Expression key, String keyText, String prefix, Duration expires, Duration timeout,
            Duration retryAfter, int tries, boolean reentrant, FallbackMethod fallback, LockedResult result) {
        this.method = method;
        this.key = key;
        this.keyText = keyText;
        this.prefix = prefix;
        this.expires = expires;
        this.timeout = timeout;
        this.retryAfter = retryAfter;
        this.tries = tries;
        this.reentrant = reentrant;
        this.fallback = fallback;
        this.name = MethodName.of(method);
        this.result = result;
        options(LockOptions.defaults()); // validates the overrides now, at startup
    }

    /** @return the annotated method */
    public Method method() {
        return this.method;
    }

    /** @return the parsed key expression */
    public Expression key() {
        return this.key;
    }

    /** @return the key expression's text */
    public String keyText() {
        return this.keyText;
    }

    /** @return the namespace put before the evaluated key */
    public String prefix() {
        return this.prefix;
    }

    /** @return the method as metrics and traces name it: {@code ClassName.method} */
    public String name() {
        return this.name;
    }

    /** @return the fallback, or {@code null} */
    public FallbackMethod fallback() {
        return this.fallback;
    }

    /** @return how the method's result completes, and so how long the lock is held */
    LockedResult result() {
        return this.result;
    }

    /**
     * @param defaults the configured defaults
     * @return the defaults with this method's overrides and {@linkplain #name() name} applied (computed once per
     *         defaults object)
     */
    public LockOptions options(LockOptions defaults) {
        Resolved current = this.resolved;
        if (current == null || current.defaults != defaults) {
            LockOptions options = defaults;
            options = (this.expires != null) ? options.withExpires(this.expires) : options;
            options = (this.timeout != null) ? options.withTimeout(this.timeout) : options;
            options = (this.retryAfter != null) ? options.withRetryAfter(this.retryAfter) : options;
            options = (this.tries >= 0) ? options.withTries(this.tries) : options;
            options = this.reentrant ? options : options.withReentrant(false);
            options = options.withName(this.name);
            current = new Resolved(defaults, options);
            this.resolved = current;
        }
        return current.options;
    }

    private record Resolved(LockOptions defaults, LockOptions options) {
    }
}
