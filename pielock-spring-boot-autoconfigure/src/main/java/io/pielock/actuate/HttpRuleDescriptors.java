package io.pielock.actuate;

import java.util.List;
import java.util.function.Supplier;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.web.util.pattern.PathPattern;

import io.pielock.actuate.PielockEndpoint.HttpRuleDescriptor;
import io.pielock.actuate.PielockEndpoint.LimitDescriptor;
import io.pielock.web.HttpRateLimitRule;
import io.pielock.web.HttpRateLimitRules;

/**
 * The HTTP rate limit rules for the {@link PielockEndpoint}, in a class of their own because the rules need Spring
 * Web, which an application with the actuator may not have: only load it where
 * {@code org.springframework.web.util.pattern.PathPattern} is present.
 */
public final class HttpRuleDescriptors {

    private HttpRuleDescriptors() {
    }

    /**
     * @param beanFactory where the {@link HttpRateLimitRules} bean is, if there are rules
     * @return the rules' descriptions, looked up when the endpoint is read; empty without rules
     */
    public static Supplier<List<HttpRuleDescriptor>> of(BeanFactory beanFactory) {
        return () -> {
            HttpRateLimitRules rules = beanFactory.getBeanProvider(HttpRateLimitRules.class).getIfUnique();
            return (rules != null) ? rules.rules().stream().map(HttpRuleDescriptors::describe).toList() : List.of();
        };
    }

    static HttpRuleDescriptor describe(HttpRateLimitRule rule) {
        return new HttpRuleDescriptor(rule.name(), rule.paths().stream().map(PathPattern::getPatternString).toList(),
                rule.methods().stream().sorted().toList(), rule.keyText(), rule.limitName(),
                rule.limits().stream().map(LimitDescriptor::of).toList(), rule.cost().text());
    }
}
