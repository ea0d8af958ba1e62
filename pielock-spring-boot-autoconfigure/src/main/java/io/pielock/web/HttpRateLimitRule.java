package io.pielock.web;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.expression.Expression;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;

import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitCatalog;

/**
 * One HTTP rate limit rule ({@code pielock.limiter.http.rules[i]}), validated when it was built from the
 * configuration: which requests it limits (path patterns, methods), by what key, and by which limits.
 *
 * @param name the rule's name in metrics, traces and logs, for example {@code pielock.limiter.http.rules[0]}
 * @param paths the path patterns, at least one; a request matches if its path (within the application) matches any
 * @param methods upper-case HTTP methods; empty for all
 * @param keyText the key expression as written, for messages
 * @param key the parsed key expression
 * @param limitName the named limit ({@code pielock.limiter.limits.<name>}), looked up at each request so that a
 *        changed definition applies without a restart; {@code null} when {@code limits} are given
 * @param limits the inline limits; empty when {@code limitName} is given
 * @param cost the permits a request takes from the rule's limits
 */
public record HttpRateLimitRule(String name, List<PathPattern> paths, Set<String> methods, String keyText,
        Expression key, String limitName, List<Limit> limits, HttpRuleCost cost) {

    /** Copies the collections and upper-cases the methods; a missing cost is 1. */
    public HttpRateLimitRule {
        cost = (cost != null) ? cost : HttpRuleCost.ONE;
        paths = List.copyOf(paths);
        methods = methods.stream().map(method -> method.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        limits = List.copyOf(limits);
    }

    /**
     * A rule whose requests cost 1 permit each.
     * @param name the rule's name
     * @param paths the path patterns
     * @param methods the HTTP methods; empty for all
     * @param keyText the key expression as written
     * @param key the parsed key expression
     * @param limitName the named limit, or {@code null}
     * @param limits the inline limits, or empty
     */
    public HttpRateLimitRule(String name, List<PathPattern> paths, Set<String> methods, String keyText,
            Expression key, String limitName, List<Limit> limits) {
        this(name, paths, methods, keyText, key, limitName, limits, HttpRuleCost.ONE);
    }

    /**
     * @param method the request's HTTP method
     * @param path the request's path within the application
     * @return whether this rule limits the request
     */
    public boolean matches(String method, PathContainer path) {
        if (!this.methods.isEmpty() && !this.methods.contains(method)) {
            return false;
        }
        for (PathPattern pattern : this.paths) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param catalog the named limits
     * @return the limits of this rule now
     */
    public List<Limit> limitsNow(LimitCatalog catalog) {
        if (this.limitName == null) {
            return this.limits;
        }
        List<Limit> named = catalog.find(this.limitName);
        if (named == null) {
            // validated at startup, so the Environment changed since: say which rule lost its limit
            throw new IllegalStateException("Unknown named rate limit '" + this.limitName + "' of " + this.name
                    + "; known names: " + catalog.names() + " (pielock.limiter.limits.<name>)");
        }
        return named;
    }
}
