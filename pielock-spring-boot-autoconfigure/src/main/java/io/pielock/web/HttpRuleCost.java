package io.pielock.web;

import java.math.BigInteger;

import org.springframework.expression.EvaluationContext;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.Expression;

/**
 * The cost of an HTTP rate limit rule ({@code pielock.limiter.http.rules[i].cost}): how many permits a request that
 * the rule matches takes from the rule's limits. A whole number ({@code 1}, the default, or {@code 5}) is the same
 * for every request; otherwise a SpEL expression over the request, parsed once at startup and evaluated per request
 * with the same variables as the rule's key ({@code #request}, {@code #principal}), such as
 * {@code #request.getHeader('X-Batch-Size')}. Its value must be a whole number of at least 1: an integral number, or
 * a text of digits (a header's value).
 */
public final class HttpRuleCost {

    /** A request's cost when the rule gives none. */
    public static final HttpRuleCost ONE = new HttpRuleCost("1", null, 1);

    private final String text;

    private final Expression expression;

    /** The cost if it is the same for every request, else 0. */
    private final long constant;

    private HttpRuleCost(String text, Expression expression, long constant) {
        this.text = text;
        this.expression = expression;
        this.constant = constant;
    }

    /**
     * @param cost the permits every request takes
     * @return the fixed cost
     * @throws IllegalArgumentException if the cost is under 1
     */
    public static HttpRuleCost of(long cost) {
        if (cost < 1) {
            throw new IllegalArgumentException("A rate limit rule's cost must be at least 1, but was " + cost);
        }
        return (cost == 1) ? ONE : new HttpRuleCost(Long.toString(cost), null, cost);
    }

    /**
     * @param text the expression as written, for messages
     * @param expression the parsed expression
     * @return a cost evaluated per request
     */
    public static HttpRuleCost expression(String text, Expression expression) {
        if (expression == null) {
            throw new IllegalArgumentException("A rate limit rule's cost expression must not be null");
        }
        return new HttpRuleCost(text, expression, 0);
    }

    /** @return the cost as configured: a number or an expression */
    public String text() {
        return this.text;
    }

    /** @return whether the cost is an expression evaluated per request */
    public boolean isExpression() {
        return this.expression != null;
    }

    /**
     * @param context the request's evaluation context (the key's)
     * @return the request's cost, at least 1
     * @throws IllegalArgumentException saying what the expression gave, if that is not a whole number of at least 1
     */
    long evaluate(EvaluationContext context) {
        if (this.expression == null) {
            return this.constant;
        }
        Object value;
        try {
            value = this.expression.getValue(context);
        }
        catch (EvaluationException ex) {
            throw new IllegalArgumentException("failed: " + ex.getMessage(), ex);
        }
        Long cost = wholeNumber(value);
        if (cost == null) {
            throw new IllegalArgumentException("gave " + describe(value) + ", not a whole number");
        }
        if (cost < 1) {
            throw new IllegalArgumentException("gave " + cost + "; a request costs at least 1 permit");
        }
        return cost;
    }

    /** Integral numbers and texts of digits only: a fraction of a permit has no meaning, and rounding would hide it. */
    private static Long wholeNumber(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        if (value instanceof CharSequence chars) {
            String digits = chars.toString().strip();
            if (digits.matches("-?\\d{1,18}")) {
                return Long.parseLong(digits);
            }
        }
        return null;
    }

    private static String describe(Object value) {
        return (value == null) ? "null" : (value instanceof CharSequence) ? "'" + value + "'"
                : "a " + value.getClass().getSimpleName() + " (" + value + ")";
    }

    @Override
    public String toString() {
        return this.text;
    }
}
