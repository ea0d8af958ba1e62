package io.pielock.limiter;

import java.lang.reflect.Method;

/**
 * A rate limit could not be decided because its store (Redis) could not be reached, and the limiter fails
 * closed ({@code pielock.limiter.fail-open=false}, the default): the call is denied. The cause is the store's
 * error. Deliberately not a {@link RateLimitExceededException}: nobody exceeded anything, so it is not answered
 * with HTTP 429 nor handed to a {@code @RateLimited} fallback.
 */
public class LimiterUnavailableException extends RuntimeException {

    private final String key;

    private final transient Method method;

    private final String store;

    /**
     * @param key the rate limit's key
     * @param cause the store's error
     */
    public LimiterUnavailableException(String key, Throwable cause) {
        this(key, null, null, cause);
    }

    /**
     * @param key the rate limit's key
     * @param store where the limits live, for the message (for example {@code "Redis at localhost:6379"}), or
     *        {@code null}
     * @param cause the store's error
     */
    public LimiterUnavailableException(String key, String store, Throwable cause) {
        this(key, null, store, cause);
    }

    private LimiterUnavailableException(String key, Method method, String store, Throwable cause) {
        super(message(key, method, store, cause), cause);
        this.key = key;
        this.method = method;
        this.store = store;
    }

    /**
     * A copy that also names the annotated method whose call was denied.
     * @param method the annotated method
     * @return a new exception with the same key and cause
     */
    public LimiterUnavailableException forMethod(Method method) {
        LimiterUnavailableException copy = new LimiterUnavailableException(this.key, method, this.store,
                getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /** @return the rate limit's key */
    public String getKey() {
        return this.key;
    }

    /** @return the annotated method whose call was denied, or {@code null} for programmatic use */
    public Method getMethod() {
        return this.method;
    }

    private static String message(String key, Method method, String store, Throwable cause) {
        StringBuilder text = new StringBuilder("Could not check rate limit key: ").append(key);
        if (method != null) {
            text.append(" for ").append(method.getDeclaringClass().getSimpleName()).append('.')
                .append(method.getName()).append("()");
        }
        text.append(": the rate limit store could not be reached");
        if (store != null) {
            text.append(" (").append(store).append(')');
        }
        text.append(", so the call is denied (fail-closed; pielock.limiter.fail-open=true allows calls unchecked "
                + "while it is unreachable)");
        if (cause != null) {
            text.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage())
                .append(')');
        }
        return text.toString();
    }
}
