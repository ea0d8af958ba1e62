package io.pielock.autoconfigure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.http.HttpMethod;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitCatalog;
import io.pielock.web.HttpRateLimitRule;
import io.pielock.web.HttpRateLimitRules;
import io.pielock.web.HttpRuleCost;

/**
 * Builds the rules of {@code pielock.limiter.http.rules} at startup, failing it on any value that cannot work with an
 * {@link InvalidPielockPropertyException} naming the property, such as {@code pielock.limiter.http.rules[2].key}.
 */
final class HttpRateLimitRulesFactory {

    static final String PREFIX = "pielock.limiter.http.rules";

    private static final SpelExpressionParser parser = new SpelExpressionParser();

    private HttpRateLimitRulesFactory() {
    }

    static HttpRateLimitRules create(PielockProperties.Http http, LimitCatalog catalog) {
        List<HttpRateLimitRule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < http.getRules().size(); i++) {
            HttpRateLimitRule rule = rule(PREFIX + "[" + i + "]", http.getRules().get(i), catalog);
            if (!names.add(rule.name())) {
                throw new InvalidPielockPropertyException(PREFIX + "[" + i + "].name",
                        "the name '" + rule.name() + "' is already taken by another rule; names must be unique", null);
            }
            rules.add(rule);
        }
        return new HttpRateLimitRules(rules, http.getOnMissingKey() == PielockProperties.OnMissingKey.DENY);
    }

    private static HttpRateLimitRule rule(String property, PielockProperties.Rule rule, LimitCatalog catalog) {
        String name = (rule.getName() != null && !rule.getName().isBlank()) ? rule.getName() : property;
        return new HttpRateLimitRule(name, paths(property, rule), methods(property, rule), rule.getKey(),
                key(property, rule), limitName(property, rule, catalog), limits(property, rule),
                cost(property, rule));
    }

    /** A whole number is kept as one (nothing to evaluate per request); anything else must parse as SpEL. */
    private static HttpRuleCost cost(String property, PielockProperties.Rule rule) {
        String text = (rule.getCost() != null) ? rule.getCost().strip() : "";
        if (text.isEmpty()) {
            throw new InvalidPielockPropertyException(property + ".cost", "a rule's cost must not be empty; give a "
                    + "whole number such as '5' or a SpEL expression such as \"#request.getHeader('X-Batch-Size')\" "
                    + "(the default is 1)", null);
        }
        if (text.matches("[-+]?\\d+")) {
            long cost;
            try {
                cost = Long.parseLong(text);
            }
            catch (NumberFormatException ex) {
                throw new InvalidPielockPropertyException(property + ".cost", "'" + text + "' is too large", ex);
            }
            if (cost < 1) {
                throw new InvalidPielockPropertyException(property + ".cost", "a request costs at least 1 permit, "
                        + "but the cost was " + cost, null);
            }
            return HttpRuleCost.of(cost);
        }
        try {
            return HttpRuleCost.expression(text, parser.parseExpression(text));
        }
        catch (ParseException ex) {
            throw new InvalidPielockPropertyException(property + ".cost", "'" + text + "' is neither a whole number "
                    + "nor a SpEL expression: " + ex.getMessage(), ex);
        }
    }

    private static List<PathPattern> paths(String property, PielockProperties.Rule rule) {
        if (rule.getPaths().isEmpty()) {
            throw new InvalidPielockPropertyException(property + ".paths",
                    "a rule needs at least one path pattern, such as '/api/**'", null);
        }
        List<PathPattern> patterns = new ArrayList<>();
        for (int i = 0; i < rule.getPaths().size(); i++) {
            String pattern = rule.getPaths().get(i);
            try {
                patterns.add(PathPatternParser.defaultInstance.parse(pattern));
            }
            catch (PatternParseException ex) {
                throw new InvalidPielockPropertyException(property + ".paths[" + i + "]",
                        "'" + pattern + "' is not a path pattern: " + ex.toDetailedString(), ex);
            }
        }
        return patterns;
    }

    private static Set<String> methods(String property, PielockProperties.Rule rule) {
        Set<String> methods = new HashSet<>();
        for (int i = 0; i < rule.getMethods().size(); i++) {
            String method = rule.getMethods().get(i);
            if (method == null || !method.trim().matches("[A-Za-z]+")) {
                throw new InvalidPielockPropertyException(property + ".methods[" + i + "]",
                        "'" + method + "' is not an HTTP method, such as GET or POST", null);
            }
            methods.add(HttpMethod.valueOf(method.trim().toUpperCase(Locale.ROOT)).name());
        }
        return methods;
    }

    private static Expression key(String property, PielockProperties.Rule rule) {
        if (rule.getKey() == null || rule.getKey().isBlank()) {
            throw new InvalidPielockPropertyException(property + ".key", "a rule needs a key expression, such as "
                    + "'#request.remoteAddr', \"#request.getHeader('X-Api-Key')\" or '#principal?.name'", null);
        }
        try {
            return parser.parseExpression(rule.getKey());
        }
        catch (ParseException ex) {
            throw new InvalidPielockPropertyException(property + ".key",
                    "'" + rule.getKey() + "' is not a SpEL expression: " + ex.getMessage(), ex);
        }
    }

    private static String limitName(String property, PielockProperties.Rule rule, LimitCatalog catalog) {
        boolean named = rule.getLimit() != null;
        boolean inline = rule.getLimits() != null;
        if (named == inline) {
            throw new InvalidPielockPropertyException(property, "give either 'limit' (a named limit) or 'limits' "
                    + "(such as '5/1s, 100/1m'), " + (named ? "not both" : "one of them"), null);
        }
        if (named && catalog.find(rule.getLimit()) == null) {
            throw new InvalidPielockPropertyException(property + ".limit", "no named limit '" + rule.getLimit()
                    + "'; known names: " + catalog.names() + " (pielock.limiter.limits.<name>)", null);
        }
        return rule.getLimit();
    }

    private static List<Limit> limits(String property, PielockProperties.Rule rule) {
        if (rule.getLimits() == null) {
            return List.of();
        }
        try {
            return LimitCatalog.parse(rule.getLimits());
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidPielockPropertyException(property + ".limits", ex.getMessage(), ex);
        }
    }
}
