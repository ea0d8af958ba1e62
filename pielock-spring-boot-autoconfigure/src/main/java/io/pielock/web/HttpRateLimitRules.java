package io.pielock.web;

import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.spel.support.SimpleEvaluationContext;
import org.springframework.http.server.PathContainer;

import io.pielock.limiter.KeyedLimits;
import io.pielock.limiter.LimitCatalog;

/**
 * The HTTP rate limit rules of {@code pielock.limiter.http.rules}, for Spring MVC ({@link RateLimitRulesInterceptor})
 * and WebFlux ({@code io.pielock.web.reactive.RateLimitRulesWebFilter}): which rules a request matches, and the
 * keys they limit it by.
 * <p>
 * A key expression sees a small, read-only evaluation context ({@link SimpleEvaluationContext}: properties and
 * methods of the variables, no types, no bean references, no assignment):
 * <ul>
 * <li>{@code #request}: the request; in Spring MVC the {@code HttpServletRequest}, in WebFlux a read-only view with
 * the getters {@code remoteAddr}, {@code getHeader(name)}, {@code method} and {@code path}, so
 * {@code #request.remoteAddr} and {@code #request.getHeader('X-Api-Key')} read the same in both;</li>
 * <li>{@code #principal}: the authenticated {@link Principal}, or {@code null} ({@code #principal?.name}).</li>
 * </ul>
 * Each rule's key is prefixed with {@code http:<rule name>:}, so two rules never share a bucket even when their
 * expressions agree. Each rule's cost ({@link HttpRuleCost}) is evaluated in the same context, and the request takes
 * that many permits from that rule's limits.
 * <p>
 * A rule that cannot be applied to a request, because its key is null or blank or its cost is not a whole number of
 * at least 1, is an error: logged at ERROR naming the rule, the expression and the request's method and path (at most
 * once every 10 seconds per rule, the next line saying how many were left out), and then, as
 * {@code pielock.limiter.http.on-missing-key} says, the request is denied ({@link Plan#ruleFailed()}, answered 500)
 * or let through without that rule. Never one shared bucket for all such requests.
 */
public final class HttpRateLimitRules {

    private static final Log logger = LogFactory.getLog(HttpRateLimitRules.class);

    private final List<HttpRateLimitRule> rules;

    private final boolean denyMissingKey;

    /** Each rule's error log, by position. */
    private final ThrottledErrorLog[] errors;

    /**
     * @param rules the validated rules
     * @param denyMissingKey whether a request for which a rule gives no key or no valid cost is denied (with 500),
     *        rather than let through without that rule
     */
    public HttpRateLimitRules(List<HttpRateLimitRule> rules, boolean denyMissingKey) {
        this(rules, denyMissingKey, ThrottledErrorLog.INTERVAL);
    }

    /** As the public constructor, logging each rule's errors at most once every {@code errorInterval}. */
    HttpRateLimitRules(List<HttpRateLimitRule> rules, boolean denyMissingKey, Duration errorInterval) {
        this.rules = List.copyOf(rules);
        this.denyMissingKey = denyMissingKey;
        this.errors = new ThrottledErrorLog[this.rules.size()];
        for (int i = 0; i < this.errors.length; i++) {
            this.errors[i] = new ThrottledErrorLog(logger, errorInterval);
        }
    }

    /** @return the rules, in order */
    public List<HttpRateLimitRule> rules() {
        return this.rules;
    }

    /** @return whether a request for which a rule gives no key or no valid cost is denied, rather than let through */
    public boolean denyMissingKey() {
        return this.denyMissingKey;
    }

    /**
     * @param method the request's method
     * @param path the request's path within the application
     * @param request the {@code #request} variable
     * @param principal the {@code #principal} variable, or {@code null}
     * @param catalog the named limits
     * @return what to decide for the request
     */
    public Plan plan(String method, PathContainer path, Object request, Principal principal, LimitCatalog catalog) {
        EvaluationContext context = null;
        List<KeyedLimits> keys = new ArrayList<>();
        List<Long> costs = new ArrayList<>();
        StringJoiner names = new StringJoiner(",");
        for (int i = 0; i < this.rules.size(); i++) {
            HttpRateLimitRule rule = this.rules.get(i);
            if (!rule.matches(method, path)) {
                continue;
            }
            if (context == null) {
                context = SimpleEvaluationContext.forReadOnlyDataBinding().withInstanceMethods().build();
                context.setVariable("request", request);
                context.setVariable("principal", principal);
            }
            Object key = rule.key().getValue(context);
            if (key == null || key.toString().isBlank()) {
                // never one shared bucket for every such request: that would limit them all together
                if (failed(i, "Rate limit rule " + rule.name() + " (key: " + rule.keyText() + ") gave no key for "
                        + method + " " + path.value())) {
                    return Plan.RULE_FAILED;
                }
                continue;
            }
            long cost;
            try {
                cost = rule.cost().evaluate(context);
            }
            catch (IllegalArgumentException ex) {
                if (failed(i, "Rate limit rule " + rule.name() + " (cost: " + rule.cost().text() + ") "
                        + ex.getMessage() + " for " + method + " " + path.value())) {
                    return Plan.RULE_FAILED;
                }
                continue;
            }
            keys.add(new KeyedLimits("http:" + rule.name() + ":" + key, rule.limitsNow(catalog)));
            costs.add(cost);
            names.add(rule.name());
        }
        return new Plan(keys, costs, names.toString(), false);
    }

    /** Logs a rule that could not be applied; @return whether the request is denied for it */
    private boolean failed(int rule, String problem) {
        this.errors[rule].error(problem + "; the request is "
                + (this.denyMissingKey ? "denied with 500" : "let through without this rule")
                + " (pielock.limiter.http.on-missing-key)");
        return this.denyMissingKey;
    }

    /**
     * What to decide for one request.
     *
     * @param keys the keys of the matching rules, empty if none matched
     * @param costs the permits the request takes from each key, by position
     * @param name the decision's name in metrics and traces: the matching rules' names, comma separated
     * @param ruleFailed whether a rule gave no key or no valid cost and the request is to be denied for it
     */
    public record Plan(List<KeyedLimits> keys, List<Long> costs, String name, boolean ruleFailed) {

        static final Plan RULE_FAILED = new Plan(List.of(), List.of(), "", true);

        /** Copies the lists. */
        public Plan {
            keys = List.copyOf(keys);
            costs = List.copyOf(costs);
        }

        /** @return whether any rule limits the request */
        public boolean limited() {
            return !this.keys.isEmpty();
        }
    }
}
