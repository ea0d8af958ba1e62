package io.pielock.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method of a Spring bean while holding a distributed lock, through
 * {@link io.pielock.lock.LockTemplate}:
 * <pre>{@code
 * @DistributedLocked(key = "#order.id", timeout = "5s")
 * public void ship(Order order) { ... }
 * }</pre>
 * The lock is taken before the method runs and released when it returns or throws. When the method joins a
 * transaction that began further out, the release waits for that transaction to complete. The lock's advice
 * runs outside the method's own {@code @Transactional} (see {@code pielock.lock.aspect-order}), so the lock is
 * still held when that transaction commits. Inside the method,
 * {@link io.pielock.lock.LockContext#current()} gives the lock's handle and fencing token.
 * <p>
 * Nested calls on the same key from the same thread are reentrant. If the lock cannot be had, the
 * {@link #fallback()} method is called, or, without one, {@link io.pielock.lock.LockAcquisitionException} is
 * thrown, naming the key, the method and the reason.
 * <p>
 * Invalid attributes (an expression that does not parse, an unknown fallback, a bad duration) fail the
 * application context at startup, naming the method.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DistributedLocked {

    /**
     * The lock's name, as a SpEL expression evaluated on every call: method parameters by name
     * ({@code #order.id}, which needs {@code -parameters}, as Spring Boot's build plugins set) or position
     * ({@code #p0}, {@code #a0}); {@code #root.method}, {@code #root.target}, {@code #root.args}; beans
     * ({@code @clock.zone}); literals ({@code 'nightly-report'}). The expression is parsed once per method.
     * <p>
     * The result must not be null, blank or longer than {@link io.pielock.key.Keys#MAX_LENGTH} characters (that
     * throws {@link IllegalArgumentException} naming the method and expression, rather than locking on "null").
     * Strings, numbers, booleans, characters, enums (their name), UUIDs and any type that overrides
     * {@code toString()} (records do) are used as text; collections, arrays, maps and objects without their own
     * {@code toString()} are rejected, since their text would not identify the resource.
     * @return the key expression
     */
    String key();

    /**
     * A namespace put before the evaluated key, for example {@code "orders:"}; empty by default. The Redis key
     * is {@code pielock.key-prefix + "lock:" + prefix + key}.
     * @return the prefix
     */
    String prefix() default "";

    /**
     * The lease: the lock frees itself this long after it was acquired or last renewed. Duration text such as
     * {@code 500ms}, {@code 5s}, {@code PT1M} ({@code ${…}} placeholders resolved; a number alone means
     * milliseconds). Empty means {@code pielock.lock.expires} (default 30 s).
     * @return the lease length
     */
    String expires() default "";

    /**
     * How long to wait for the lock, as duration text; {@code "0"} means one attempt, no waiting. Empty means
     * {@code pielock.lock.timeout} (default 60 s).
     * @return the wait limit
     */
    String timeout() default "";

    /**
     * The fallback poll interval while waiting, as duration text (waiters are normally woken when the holder
     * releases). Empty means {@code pielock.lock.retry-after} (default 1 s).
     * @return the poll interval
     */
    String retryAfter() default "";

    /**
     * The maximum number of attempts, spaced by {@code retryAfter}, whether the holder is another process or
     * another thread of this application (so the call gives up after about {@code (tries - 1) × retryAfter}, or
     * at {@code timeout} if that comes first): {@code 0} means no limit but the timeout; the default {@code -1}
     * means {@code pielock.lock.tries} (default 0).
     * @return the number of tries
     */
    int tries() default -1;

    /**
     * Whether a thread that already holds this lock may take it again, for example when the method calls itself
     * or is re-entered from a callback. {@code true} (the default) follows {@code pielock.lock.reentrant}
     * (default {@code true}); {@code false} makes this method's lock non-reentrant whatever the property says:
     * such a call fails at once with {@link io.pielock.lock.LockAcquisitionException.Reason#ALREADY_HELD} (or
     * calls the fallback), as the original pie-lock's second {@code acquire} of a held key did.
     * @return whether the lock is reentrant
     */
    boolean reentrant() default true;

    /**
     * The name of a method on the same bean, called instead (its result returned) when the lock cannot be had.
     * It takes the same parameters, optionally followed by a
     * {@link io.pielock.lock.LockAcquisitionException} (or a supertype), and returns a type assignable to the
     * annotated method's. Empty (the default) means throw {@link io.pielock.lock.LockAcquisitionException}.
     * @return the fallback method's name
     */
    String fallback() default "";
}
