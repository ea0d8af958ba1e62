package io.pielock.interceptor;

import java.lang.reflect.Method;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.expression.Expression;

import io.pielock.limiter.KeyedLimits;

/**
 * A {@code @RateLimited} method's {@code cost}: how many permits one call takes. Parsed once per method; a whole
 * number literal ({@code "1"}, the default, or {@code "5"}) is kept as a number, so the common case evaluates
 * nothing per call. Otherwise a SpEL expression ({@code "#files.size()"}) evaluated per call in the key's context.
 */
final class CostExpression {

    /** A call's cost when none is given. */
    static final CostExpression ONE = new CostExpression(null, "1", 1);

    private final Expression expression;

    private final String text;

    /** The cost if it is a literal, else 0. */
    private final long constant;

    private CostExpression(Expression expression, String text, long constant) {
        this.expression = expression;
        this.text = text;
        this.constant = constant;
    }

    /**
     * @param annotation the annotation's name, for error messages
     * @param method the annotated method
     * @param text the {@code cost} attribute
     * @return the parsed cost
     * @throws AnnotationConfigurationException if it is blank, does not parse, names an unknown variable, or is a
     *         literal under 1
     */
    static CostExpression parse(String annotation, Method method, String text) {
        String trimmed = (text != null) ? text.strip() : "";
        if (trimmed.isEmpty()) {
            throw new AnnotationConfigurationException(annotation, method, "cost must not be empty; give a whole "
                    + "number such as \"5\" or a SpEL expression such as \"#files.size()\" (the default is \"1\")",
                    null);
        }
        if (trimmed.matches("-?\\d{1,18}")) {
            long cost = Long.parseLong(trimmed);
            if (cost < 1) {
                throw new AnnotationConfigurationException(annotation, method, "cost must be at least 1, but was "
                        + cost, null);
            }
            return (cost == 1) ? ONE : new CostExpression(null, trimmed, cost);
        }
        return new CostExpression(KeyExpressions.parse(annotation, method, "cost", trimmed), trimmed, 0);
    }

    /** @return the cost if it is the same for every call, else 0 */
    long constant() {
        return this.constant;
    }

    /** @return the attribute's text */
    String text() {
        return this.text;
    }

    /**
     * @param expressions evaluates the expression in the key's context
     * @param method the annotated method
     * @param target the bean
     * @param args the call's arguments
     * @param keys the call's keys, for the error message
     * @return this call's cost, at least 1
     * @throws IllegalArgumentException naming the method, the expression and the keys, if the value is not a
     *         whole number of at least 1
     */
    long evaluate(KeyExpressions expressions, Method method, Object target, Object[] args, List<KeyedLimits> keys) {
        if (this.expression == null) {
            return this.constant;
        }
        Object value = expressions.value(this.expression, method, target, args);
        Long cost = wholeNumber(value);
        if (cost == null) {
            throw invalid(method, keys, "evaluated to " + describe(value) + ", not a whole number");
        }
        if (cost < 1) {
            throw invalid(method, keys, "evaluated to " + cost + "; a call costs at least 1 permit");
        }
        return cost;
    }

    /** Integral numbers only: a fraction of a permit has no meaning, and rounding it would hide a mistake. */
    private static Long wholeNumber(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        return null;
    }

    private static String describe(Object value) {
        return (value == null) ? "null" : "a " + value.getClass().getSimpleName() + " (" + value + ")";
    }

    private IllegalArgumentException invalid(Method method, List<KeyedLimits> keys, String problem) {
        return new IllegalArgumentException("Cost expression \"" + this.text + "\" of "
                + AnnotationConfigurationException.describe(method) + " for key: "
                + keys.stream().map(KeyedLimits::key).collect(Collectors.joining(", ")) + " " + problem);
    }
}
