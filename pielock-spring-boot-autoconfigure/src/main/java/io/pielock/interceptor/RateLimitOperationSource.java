package io.pielock.interceptor;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringValueResolver;

import io.pielock.annotation.RateLimited;
import io.pielock.annotation.RateLimits;
import io.pielock.interceptor.RateLimitOperation.Condition;
import io.pielock.interceptor.RateLimitOperation.KeyRule;
import io.pielock.interceptor.RateLimitOperation.NamedLimit;
import io.pielock.interceptor.RateLimitOperation.ResultKind;
import io.pielock.limiter.Limit;
import io.pielock.limiter.RateLimitExceededException;

/** Reads {@link RateLimited} (repeated or not) into validated, cached {@link RateLimitOperation}s. */
public class RateLimitOperationSource extends OperationSource<RateLimitOperation> {

    /** What a named limit's name looks like, as opposed to an expression giving one. */
    private static final Pattern LIMIT_NAME = Pattern.compile("[A-Za-z0-9_.-]+");


    static final String ANNOTATION = "@RateLimited";

    /** {@link RateLimited#cost()}'s default. */
    private static final String DEFAULT_COST = "1";

    /**
     * The asynchronous results {@code @RateLimited} decides at their start: when the method is called
     * ({@code CompletionStage}), or at each subscription (Reactor's {@code Mono} and {@code Flux}).
     */
    static final Set<String> ASYNCHRONOUS_RESULTS = Set.of("java.util.concurrent.CompletionStage",
            "java.util.concurrent.CompletableFuture", "reactor.core.publisher.Mono", "reactor.core.publisher.Flux");

    private final AttributeText attributes;

    private final Set<Method> reactiveMethods = ConcurrentHashMap.newKeySet();

    /**
     * @param placeholders resolves {@code ${…}} in {@code window}; may be {@code null}
     */
    public RateLimitOperationSource(StringValueResolver placeholders) {
        this.attributes = new AttributeText(placeholders);
    }

    /**
     * @return the annotated methods read so far whose result is reactive ({@code Mono}, {@code Flux}): they need a
     *         {@code ReactiveLimiter}
     */
    public Set<Method> getReactiveMethods() {
        return Set.copyOf(this.reactiveMethods);
    }

    @Override
    protected RateLimitOperation parse(Method method, Class<?> targetClass) {
        Set<RateLimited> annotations = AnnotatedElementUtils.findMergedRepeatableAnnotations(method,
                RateLimited.class, RateLimits.class);
        if (annotations.isEmpty()) {
            return null;
        }
        boolean asynchronous = AsynchronousResults.reject(ANNOTATION, method, targetClass, ASYNCHRONOUS_RESULTS);
        // limits that share a key expression and a condition are decided together
        Map<List<String>, List<Limit>> limitsByKey = new LinkedHashMap<>();
        Map<List<String>, List<NamedLimit>> namedByKey = new LinkedHashMap<>();
        String fallback = "";
        String cost = DEFAULT_COST;
        for (RateLimited annotation : annotations) {
            List<String> keyAndCondition = List.of(annotation.key(), annotation.condition());
            List<Limit> limits = limitsByKey.computeIfAbsent(keyAndCondition, key -> new ArrayList<>());
            List<NamedLimit> named = namedByKey.computeIfAbsent(keyAndCondition, key -> new ArrayList<>());
            if (annotation.limit().isEmpty()) {
                addLimit(method, annotation, limits);
            }
            else {
                named.add(namedLimit(method, annotation));
            }
            fallback = fallback(method, fallback, annotation.fallback());
            cost = cost(method, cost, annotation.cost());
        }
        CostExpression costExpression = CostExpression.parse(ANNOTATION, method, cost);
        checkCost(method, costExpression, limitsByKey);
        List<KeyRule> rules = new ArrayList<>(limitsByKey.size());
        limitsByKey.forEach((keyAndCondition, limits) -> {
            String key = keyAndCondition.get(0);
            String condition = keyAndCondition.get(1);
            Condition when = condition.isEmpty() ? null
                    : new Condition(KeyExpressions.parse(ANNOTATION, method, condition), condition);
            List<NamedLimit> named = namedByKey.get(keyAndCondition);
            rules.add(key.isEmpty()
                    ? new KeyRule(null, AnnotationConfigurationException.describe(method), limits, when, named)
                    : new KeyRule(KeyExpressions.parse(ANNOTATION, method, key), key, limits, when, named));
        });
        RateLimitOperation operation = new RateLimitOperation(method, rules, FallbackMethod.resolve(ANNOTATION,
                method, targetClass, fallback, RateLimitExceededException.class),
                asynchronous ? ResultKind.of(method) : ResultKind.PLAIN, costExpression);
        if (operation.resultKind() == ResultKind.REACTIVE) {
            this.reactiveMethods.add(method);
        }
        return operation;
    }

    /** A name ({@code free}) as it is; anything else ({@code #user.plan}) is a SpEL expression giving one. */
    private static NamedLimit namedLimit(Method method, RateLimited annotation) {
        String limit = annotation.limit();
        if (annotation.count() != 0 || !annotation.window().isEmpty()) {
            throw new AnnotationConfigurationException(ANNOTATION, method, "it gives limit = \"" + limit
                    + "\" and count or window; give one: a named limit, or count per window", null);
        }
        return LIMIT_NAME.matcher(limit).matches() ? new NamedLimit(null, limit)
                : new NamedLimit(KeyExpressions.parse(ANNOTATION, method, limit), limit);
    }

    private void addLimit(Method method, RateLimited annotation, List<Limit> limits) {
        if (annotation.count() == 0) {
            throw new AnnotationConfigurationException(ANNOTATION, method, "it gives neither count (calls per "
                    + "window, at least 1) nor limit (a named limit of pielock.limiter.limits); give one", null);
        }
        Limit limit;
        try {
            Duration window = this.attributes.duration(ANNOTATION, method, "window", annotation.window());
            limit = (window != null) ? Limit.of(annotation.count(), window, annotation.algorithm())
                    : Limit.of(annotation.count(), annotation.per(), annotation.algorithm());
        }
        catch (IllegalArgumentException ex) {
            throw new AnnotationConfigurationException(ANNOTATION, method, ex.getMessage(), ex);
        }
        for (Limit other : limits) {
            if (other.window().equals(limit.window())) {
                throw new AnnotationConfigurationException(ANNOTATION, method, "two limits on key \""
                        + annotation.key() + "\" share the window of " + other + " and " + limit
                        + "; keep the stricter one", null);
            }
        }
        limits.add(limit);
    }

    /** A call's cost, one for every annotation of the method: it is one call, taking its permits from each. */
    private static String cost(Method method, String chosen, String given) {
        if (given.strip().equals(DEFAULT_COST) || given.equals(chosen)) {
            return chosen;
        }
        if (!chosen.equals(DEFAULT_COST)) {
            throw new AnnotationConfigurationException(ANNOTATION, method, "the repeated annotations give "
                    + "different costs ('" + chosen + "' and '" + given + "'); a call has one cost, taken from "
                    + "every limit, so give it on one annotation or the same on each", null);
        }
        return given;
    }

    /** A constant cost above a limit's count would deny every call: a mistake to report at startup. */
    private static void checkCost(Method method, CostExpression cost, Map<?, List<Limit>> limitsByKey) {
        limitsByKey.values().stream().flatMap(List::stream).filter(limit -> cost.constant() > limit.count())
            .findFirst().ifPresent(limit -> {
                throw new AnnotationConfigurationException(ANNOTATION, method, "cost " + cost.constant()
                        + " is more than the count of " + limit + ", so no call could ever pass", null);
            });
    }

    private static String fallback(Method method, String chosen, String given) {
        if (given.isEmpty() || given.equals(chosen)) {
            return chosen;
        }
        if (!chosen.isEmpty()) {
            throw new AnnotationConfigurationException(ANNOTATION, method, "the repeated annotations name "
                    + "different fallbacks ('" + chosen + "' and '" + given + "'); a call has one fallback, so "
                    + "give it on one annotation or the same on each", null);
        }
        return given;
    }
}
