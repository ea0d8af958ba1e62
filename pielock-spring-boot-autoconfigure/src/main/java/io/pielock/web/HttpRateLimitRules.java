package io.pielock.web;

import java.security.Principal;
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
 * expressions agree.
 */
public final class HttpRateLimitRules {

    private static final Log logger = LogFactory.getLog(HttpRateLimitRules.class);

    private final List<HttpRateLimitRule> rules;

    private final boolean denyMissingKey;

    /**
     * @param rules the validated rules
     * @param denyMissingKey whether a request whose key evaluates to null or blank is denied (with 500), rather than
     *        let through without that rule
     */
    public HttpRateLimitRules(List<HttpRateLimitRule> rules, boolean denyMissingKey) {
        this.rules = List.copyOf(rules);
        this.denyMissingKey = denyMissingKey;
    }

    /** @return the rules, in order */
    public List<HttpRateLimitRule> rules() {
        return this.rules;
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
        StringJoiner names = new StringJoiner(",");
        for (HttpRateLimitRule rule : this.rules) {
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
                logger.error("Rate limit rule " + rule.name() + " (key: " + rule.keyText() + ") gave no key for "
                        + method + " " + path.value() + "; the request is "
                        + (this.denyMissingKey ? "denied with 500" : "let through without this rule")
                        + " (pielock.limiter.http.on-missing-key)");
                if (this.denyMissingKey) {
                    return Plan.MISSING_KEY;
                }
                continue;
            }
            keys.add(new KeyedLimits("http:" + rule.name() + ":" + key, rule.limitsNow(catalog)));
            names.add(rule.name());
        }
        return new Plan(keys, names.toString(), false);
    }

    /**
     * What to decide for one request.
     *
     * @param keys the keys of the matching rules, empty if none matched
     * @param name the decision's name in metrics and traces: the matching rules' names, comma separated
     * @param missingKey whether a rule gave no key and the request is to be denied for it
     */
    public record Plan(List<KeyedLimits> keys, String name, boolean missingKey) {

        static final Plan MISSING_KEY = new Plan(List.of(), "", true);

        /** @return whether any rule limits the request */
        public boolean limited() {
            return !this.keys.isEmpty();
        }
    }
}
