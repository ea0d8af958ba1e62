package io.pielock.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.pielock.limiter.Algorithm;
import io.pielock.limiter.TimeUnit;

/**
 * Lets the annotated method of a Spring bean run only while a rate limit admits the call, through
 * {@link io.pielock.limiter.Limiter}:
 * <pre>{@code
 * @RateLimited(key = "#user.id", per = TimeUnit.SECOND, count = 2)
 * @RateLimited(key = "#user.id", per = TimeUnit.MINUTE, count = 30)
 * public List<Hit> search(User user, String query) { ... }
 * }</pre>
 * At most {@link #count()} calls are allowed in any sliding window of {@link #per()} (or {@link #window()}),
 * counted per evaluated {@link #key()} across every application instance that shares the store; or, with
 * {@code algorithm = Algorithm.GCRA}, a burst of {@code count} and then one call per {@code per / count}, in
 * constant memory (see {@link Algorithm#GCRA} for what it guarantees). Denied calls are not counted.
 * <p>
 * <b>Repeatable:</b> every annotation must admit the call, and a call denied by one is counted by none.
 * Annotations with the same key expression are decided together in one atomic step (in Redis, one script over
 * one Cluster slot). Annotations with different keys (say, per user and global) are decided in declaration
 * order, each atomically; when a later key denies, the call is taken back from the earlier ones, so meanwhile a
 * concurrent call may be denied by the call being taken back (never allowed beyond a limit).
 * <p>
 * A denied call runs the {@link #fallback()} method, or, without one, throws
 * {@link io.pielock.limiter.RateLimitExceededException} naming the key, the method and when to retry; in a
 * Spring MVC application an unhandled one becomes HTTP 429. If the store cannot be reached, the call is
 * denied with {@link io.pielock.limiter.LimiterUnavailableException} (not the fallback: nothing was exceeded)
 * unless {@code pielock.limiter.fail-open=true}.
 * <p>
 * The advice runs outside {@code @DistributedLocked} and {@code @Transactional} (see
 * {@code pielock.limiter.aspect-order}), so a denied call never waits for a lock or opens a transaction.
 * Invalid attributes (a count under 1, a window under 1 ms, a key that does not parse, an unknown fallback)
 * fail the application context at startup, naming the method.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(RateLimits.class)
public @interface RateLimited {

    /**
     * The rate limit's name, as a SpEL expression evaluated on every call, with the same variables and rules
     * as {@link DistributedLocked#key()}: parameters ({@code #user.id}, {@code #p0}), {@code #root.method},
     * beans ({@code @tenant.id}), literals ({@code 'search'}); parsed once per method. A null or blank result,
     * or one longer than {@link io.pielock.key.Keys#MAX_LENGTH} characters, throws
     * {@link IllegalArgumentException} naming the method and expression.
     * <p>
     * Empty (the default) means the method itself, for example
     * {@code com.example.SearchService.search(User, String)}: one limit shared by all callers. The Redis key is
     * {@code pielock.key-prefix + "limit:{" + key + "}:" + window in ms + "ms:sliding"} (or {@code "ms:gcra"}).
     * @return the key expression, or empty for the method
     */
    String key() default "";

    /**
     * The window: {@link #count()} calls are allowed per this unit ({@code MONTH} is 30 days). Ignored when
     * {@link #window()} is given. Defaults to {@code SECOND}.
     * @return the window's unit
     */
    TimeUnit per() default TimeUnit.SECOND;

    /**
     * How many calls the window admits; at least 1. For a sliding window at most 1,000,000
     * ({@link io.pielock.limiter.Limit#MAX_SLIDING_WINDOW_COUNT}): a store keeps up to this many timestamps per
     * key. For GCRA at most one per microsecond of the window. Required unless {@link #limit()} names the limit.
     * @return the number of calls per window
     */
    long count() default 0;

    /**
     * A named limit from {@code pielock.limiter.limits.<name>} (one or more windows, e.g. {@code free: 5/1s, 100/1m})
     * instead of {@link #count()}/{@link #per()}: a name ({@code limit = "free"}), or a SpEL expression that gives
     * one per call, with the same variables as {@link #key()} ({@code limit = "#user.plan"}). Looked up at each
     * call, so a changed property applies without a restart; an unknown name is an
     * {@code IllegalArgumentException} naming the method and the known names. Empty (the default) means
     * {@code count} per {@code per} (or {@code window}).
     * @return the named limit, or an expression giving its name
     */
    String limit() default "";

    /**
     * A window of any length instead of {@link #per()}, as duration text: {@code 500ms}, {@code 10s},
     * {@code PT15M} ({@code ${…}} placeholders resolved; a number alone means milliseconds); a whole number of
     * milliseconds, at least 1 ms. Empty (the default) means {@link #per()}.
     * @return the window, or empty for {@code per}
     */
    String window() default "";

    /**
     * How calls are counted: {@link Algorithm#SLIDING_WINDOW} (the default), exact, keeping up to
     * {@link #count()} timestamps per key; or {@link Algorithm#GCRA}, one number per key whatever the count, a
     * burst of {@code count} and then one call per {@code window / count}, but not a sliding window: up to
     * {@code 2 × count - 1} calls may pass within one window.
     * @return the algorithm
     */
    Algorithm algorithm() default Algorithm.SLIDING_WINDOW;

    /**
     * A SpEL condition over the call, with the same variables as {@link #key()} (the parameters by name,
     * {@code #root.method}, {@code #root.target}, {@code #root.args}, beans as {@code @name}): when it is
     * {@code false}, this limit neither counts nor limits the call (as {@code @Cacheable(condition)} skips the
     * cache), e.g. {@code condition = "!#user.internal"}. Evaluated once per call, before the key; it must give a
     * {@code boolean}. With repeated annotations each limit has its own condition; a call no limit applies to runs
     * undecided. Empty (the default) means always.
     * @return the condition, or empty for always
     */
    String condition() default "";

    /**
     * How many permits one call takes, as a SpEL expression evaluated on every call with the same variables as
     * {@link #key()} ({@code "#files.size()"}, {@code "#order.lines.size()"}), or a whole number ({@code "5"});
     * {@code "1"} by default. A call of cost {@code c} is all or nothing: it passes only if every limit has room
     * for {@code c} calls at once (a sliding window then counts it as {@code c} of its {@link #count()}; GCRA moves
     * on {@code c} intervals). A cost above a limit's count never passes: the call is denied with a message
     * saying so (a literal cost above a count fails the startup). A value that is not a whole number of at least 1
     * (a fraction, a string, null, zero) throws {@link IllegalArgumentException} naming the method, the expression
     * and the key, as an invalid key does. With repeated annotations, give it on one of them (or the same on
     * each): one call has one cost, taken from every limit.
     * @return the cost expression
     */
    String cost() default "1";

    /**
     * The name of a method on the same bean, called instead (its result returned) when a limit denies the call.
     * It takes the same parameters, optionally followed by a
     * {@link io.pielock.limiter.RateLimitExceededException} (or a supertype), and returns a type assignable to
     * the annotated method's. With repeated annotations, give it on one of them (or the same on each). Empty
     * (the default) means throw {@link io.pielock.limiter.RateLimitExceededException}.
     * @return the fallback method's name
     */
    String fallback() default "";
}
