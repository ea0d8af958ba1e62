package io.pielock.interceptor;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.expression.Expression;

import io.pielock.limiter.Algorithm;
import io.pielock.limiter.KeyedLimits;
import io.pielock.limiter.LimitCatalog;
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
        this.constantKeys = this.rules.stream()
            .allMatch(rule -> rule.expression() == null && rule.condition() == null && rule.named().isEmpty())
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
     * @return this call's keys with their limits, in declaration order; empty when every limit's condition is
     *         false (the call is then neither counted nor limited)
     * @throws IllegalArgumentException if a key expression yields no usable key, or a condition no boolean
     */
    public List<KeyedLimits> keys(KeyExpressions expressions, Object target, Object[] args) {
        return keys(expressions, LimitCatalog.NONE, target, args);
    }

    /**
     * @param expressions evaluates key, condition and limit-name expressions
     * @param catalog the named limits ({@code pielock.limiter.limits}), for {@code limit}
     * @param target the bean
     * @param args the call's arguments
     * @return this call's keys with their limits, in declaration order; empty when every limit's condition is
     *         false (the call is then neither counted nor limited)
     * @throws IllegalArgumentException if a key expression yields no usable key, a condition no boolean, or a
     *         limit no known name
     */
    public List<KeyedLimits> keys(KeyExpressions expressions, LimitCatalog catalog, Object target, Object[] args) {
        if (this.constantKeys != null) {
            return this.constantKeys;
        }
        if (this.rules.size() == 1) {
            // the usual case: one key expression, nothing to merge
            KeyRule rule = this.rules.get(0);
            if (!applies(rule, expressions, target, args)) {
                return List.of();
            }
            String key = (rule.expression() != null)
                    ? expressions.evaluate(rule.expression(), rule.text(), this.method, target, args) : rule.text();
            return List.of(new KeyedLimits(key, limits(rule, key, expressions, catalog, target, args)));
        }
        Map<String, List<Limit>> limitsByKey = new LinkedHashMap<>();
        Map<String, Boolean> conditions = new HashMap<>();
        for (KeyRule rule : this.rules) {
            if (rule.condition() != null && !conditions.computeIfAbsent(rule.condition().text(),
                    text -> applies(rule, expressions, target, args))) {
                continue;
            }
            String key = (rule.expression() != null)
                    ? expressions.evaluate(rule.expression(), rule.text(), this.method, target, args) : rule.text();
            List<Limit> ruleLimits = limits(rule, key, expressions, catalog, target, args);
            List<Limit> limits = limitsByKey.get(key);
            limitsByKey.put(key, (limits == null) ? ruleLimits : merge(limits, ruleLimits));
        }
        List<KeyedLimits> keys = new ArrayList<>(limitsByKey.size());
        limitsByKey.forEach((key, limits) -> keys.add(new KeyedLimits(key, limits)));
        return keys;
    }

    /** @return the rule's limits for this call: its own, and its named ones looked up now */
    private List<Limit> limits(KeyRule rule, String key, KeyExpressions expressions, LimitCatalog catalog,
            Object target, Object[] args) {
        List<Limit> limits = rule.limits();
        for (NamedLimit named : rule.named()) {
            String name = (named.expression() != null)
                    ? expressions.evaluate(named.expression(), named.text(), this.method, target, args) : named.text();
            List<Limit> found = catalog.find(name);
            if (found == null) {
                throw new IllegalArgumentException("Unknown named rate limit '" + name + "' (limit = \""
                        + named.text() + "\") of " + AnnotationConfigurationException.describe(this.method)
                        + " for key: " + key + "; known names: " + catalog.names() + " (pielock.limiter.limits.<name>)");
            }
            limits = limits.isEmpty() ? found : merge(limits, found);
        }
        return limits;
    }

    /** @return whether the rule's condition (if any) lets it decide this call */
    private boolean applies(KeyRule rule, KeyExpressions expressions, Object target, Object[] args) {
        Condition condition = rule.condition();
        return condition == null
                || expressions.test(condition.expression(), condition.text(), this.method, target, args);
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
     * @param condition when the limits apply, or {@code null} for always
     * @param named named limits that also apply, looked up per call
     */
    public record KeyRule(Expression expression, String text, List<Limit> limits, Condition condition,
            List<NamedLimit> named) {

        /**
         * Limits that apply to every call.
         * @param expression the parsed key expression, or {@code null} for the method's own key
         * @param text the expression's text, or the method's key
         * @param limits the limits, with distinct windows
         */
        public KeyRule(Expression expression, String text, List<Limit> limits) {
            this(expression, text, limits, null, List.of());
        }

        public KeyRule {
            named = List.copyOf(named);
        }
    }

    /**
     * A named limit ({@code @RateLimited(limit)}): a name, or an expression giving one per call.
     *
     * @param expression the parsed expression, or {@code null} for a name as it is
     * @param text the name, or the expression's text
     */
    public record NamedLimit(Expression expression, String text) {
    }

    /**
     * When limits apply: {@code @RateLimited(condition)}.
     *
     * @param expression the parsed condition
     * @param text its text
     */
    public record Condition(Expression expression, String text) {
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
