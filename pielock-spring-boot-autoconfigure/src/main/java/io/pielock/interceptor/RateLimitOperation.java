package io.pielock.interceptor;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.expression.Expression;

import io.pielock.limiter.Algorithm;
import io.pielock.limiter.KeyedLimits;
import io.pielock.limiter.Limit;

/**
 * One {@code @RateLimited} method, read and validated once: its limits grouped by key expression (each group
 * decided atomically), its cost per call, and its fallback.
 */
public final class RateLimitOperation {

    private final Method method;

    private final List<KeyRule> rules;

    private final FallbackMethod fallback;

    private final String name;

    /** The keys when no rule needs evaluating (the default key): built once, not per call. */
    private final List<KeyedLimits> constantKeys;

    private final ResultKind resultKind;

    private final CostExpression cost;

    RateLimitOperation(Method method, List<KeyRule> rules, FallbackMethod fallback) {
        this(method, rules, fallback, ResultKind.PLAIN);
    }

    RateLimitOperation(Method method, List<KeyRule> rules, FallbackMethod fallback, ResultKind resultKind) {
        this(method, rules, fallback, resultKind, CostExpression.ONE);
    }

    RateLimitOperation(Method method, List<KeyRule> rules, FallbackMethod fallback, ResultKind resultKind,
            CostExpression cost) {
        this.method = method;
        this.cost = cost;
        this.resultKind = resultKind;
        this.rules = List.copyOf(rules);
        this.fallback = fallback;
        this.name = MethodName.of(method);
        this.constantKeys = this.rules.stream().allMatch(rule -> rule.expression() == null)
                ? this.rules.stream().map(rule -> new KeyedLimits(rule.text(), rule.limits())).toList() : null;
    }

    /** @return the annotated method */
    public Method method() {
        return this.method;
    }

    /** @return the method as metrics and traces name it: {@code ClassName.method} */
    public String name() {
        return this.name;
    }

    /** @return when the call is decided: around the method, when it is called, or at each subscription */
    public ResultKind resultKind() {
        return this.resultKind;
    }

    /** @return the fallback, or {@code null} */
    public FallbackMethod fallback() {
        return this.fallback;
    }

    /** @return the limits grouped by key expression, in declaration order (for diagnostics; calls use {@link #keys}) */
    public List<KeyRule> rules() {
        return this.rules;
    }

    /**
     * @param expressions evaluates key expressions
     * @param target the bean
     * @param args the call's arguments
     * @return this call's keys with their limits, in declaration order
     * @throws IllegalArgumentException if a key expression yields no usable key
     */
    public List<KeyedLimits> keys(KeyExpressions expressions, Object target, Object[] args) {
        if (this.constantKeys != null) {
            return this.constantKeys;
        }
        if (this.rules.size() == 1) {
            // the usual case: one key expression, nothing to merge
            KeyRule rule = this.rules.get(0);
            return List.of(new KeyedLimits(
                    expressions.evaluate(rule.expression(), rule.text(), this.method, target, args), rule.limits()));
        }
        Map<String, List<Limit>> limitsByKey = new LinkedHashMap<>();
        for (KeyRule rule : this.rules) {
            String key = (rule.expression() != null)
                    ? expressions.evaluate(rule.expression(), rule.text(), this.method, target, args) : rule.text();
            List<Limit> limits = limitsByKey.get(key);
            limitsByKey.put(key, (limits == null) ? rule.limits() : merge(limits, rule.limits()));
        }
        List<KeyedLimits> keys = new ArrayList<>(limitsByKey.size());
        limitsByKey.forEach((key, limits) -> keys.add(new KeyedLimits(key, limits)));
        return keys;
    }

    /**
     * @param expressions evaluates the cost expression, in the key's context
     * @param target the bean
     * @param args the call's arguments
     * @param keys this call's keys ({@link #keys}), which an error names
     * @return how many permits this call takes, at least 1
     * @throws IllegalArgumentException if the cost expression does not yield a whole number of at least 1
     */
    public long cost(KeyExpressions expressions, Object target, Object[] args, List<KeyedLimits> keys) {
        return this.cost.evaluate(expressions, this.method, target, args, keys);
    }

    /** @return the {@code cost} attribute's text, {@code "1"} by default (for diagnostics) */
    public String costText() {
        return this.cost.text();
    }

    /**
     * Two expressions gave the same key: one set of limits, where of two limits with one window the stricter
     * stands (both must admit a call, so that is what they mean together): the smaller count, and of equal
     * counts the sliding window, which GCRA's bursts never exceed.
     */
    private static List<Limit> merge(List<Limit> first, List<Limit> second) {
        Map<Duration, Limit> byWindow = new LinkedHashMap<>();
        for (Limit limit : first) {
            byWindow.put(limit.window(), limit);
        }
        for (Limit limit : second) {
            byWindow.merge(limit.window(), limit, RateLimitOperation::stricter);
        }
        return List.copyOf(byWindow.values());
    }

    private static Limit stricter(Limit a, Limit b) {
        if (a.count() != b.count()) {
            return (a.count() < b.count()) ? a : b;
        }
        return (b.algorithm() == Algorithm.SLIDING_WINDOW) ? b : a;
    }

    /**
     * The limits sharing one key expression.
     *
     * @param expression the parsed key expression, or {@code null} for the method's own key
     * @param text the expression's text, or the method's key
     * @param limits the limits, with distinct windows
     */
    public record KeyRule(Expression expression, String text, List<Limit> limits) {
    }

    /** When a call is decided, by what the method returns. */
    public enum ResultKind {

        /** A plain value (or a {@code Future} run with {@code @Async}): decided around the method call. */
        PLAIN,

        /**
         * A {@code CompletionStage} or {@code CompletableFuture}: decided when the method is called, a denial
         * delivered as the failed result.
         */
        COMPLETION_STAGE,

        /** A {@code Mono} or {@code Flux}: decided at each subscription, a denial delivered as the error signal. */
        REACTIVE;

        static ResultKind of(Method method) {
            return java.util.concurrent.CompletionStage.class.isAssignableFrom(method.getReturnType())
                    ? COMPLETION_STAGE : REACTIVE;
        }
    }
}
