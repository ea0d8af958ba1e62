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

    /**
     * @param key the rate limit's key
     * @param cause the store's error
     */
    public LimiterUnavailableException(String key, Throwable cause) {
        this(key, null, cause);
    }

    private LimiterUnavailableException(String key, Method method, Throwable cause) {
        super(message(key, method, cause), cause);
        this.key = key;
        this.method = method;
    }

    /**
     * A copy that also names the annotated method whose call was denied.
     * @param method the annotated method
     * @return a new exception with the same key and cause
     */
    public LimiterUnavailableException forMethod(Method method) {
        LimiterUnavailableException copy = new LimiterUnavailableException(this.key, method, getCause());
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

    private static String message(String key, Method method, Throwable cause) {
        StringBuilder text = new StringBuilder("Could not check rate limit key: ").append(key);
        if (method != null) {
            text.append(" for ").append(method.getDeclaringClass().getSimpleName()).append('.')
                .append(method.getName()).append("()");
        }
        text.append(": the rate limit store could not be reached, so the call is denied (fail-closed; "
                + "pielock.limiter.fail-open=true allows calls unchecked while it is unreachable)");
        if (cause != null) {
            text.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage())
                .append(')');
        }
        return text.toString();
    }
}
