package io.pielock.autoconfigure;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.pielock.limiter.LimitCatalog;
import io.pielock.limiter.Limiter;
import io.pielock.limiter.ReactiveLimiter;
import io.pielock.web.HttpRateLimitRules;
import io.pielock.web.RateLimitRulesInterceptor;
import io.pielock.web.reactive.RateLimitRulesWebFilter;

/**
 * The HTTP rate limit rules of {@code pielock.limiter.http.rules}, when there are any, validated at startup: in
 * Spring MVC applications a {@link RateLimitRulesInterceptor}, in WebFlux applications a
 * {@code RateLimitRulesWebFilter} on the {@code ReactiveLimiter}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(HttpRulesConfiguration.OnHttpRules.class)
@ConditionalOnClass(name = "org.springframework.web.util.pattern.PathPattern")
@Import({ HttpRulesConfiguration.WebMvcRules.class, HttpRulesConfiguration.WebFluxRules.class })
class HttpRulesConfiguration {

    @Bean
    HttpRateLimitRules pielockHttpRateLimitRules(PielockProperties properties, LimitCatalog limitCatalog) {
        return HttpRateLimitRulesFactory.create(properties.getLimiter().getHttp(), limitCatalog);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
    static class WebMvcRules {

        @Bean
        RateLimitRulesInterceptor pielockRateLimitRulesInterceptor(HttpRateLimitRules rules, Limiter limiter) {
            return new RateLimitRulesInterceptor(rules, limiter);
        }

        /** First among interceptors: a denied request runs no other interceptor's work. */
        @Bean
        WebMvcConfigurer pielockRateLimitRulesConfigurer(RateLimitRulesInterceptor interceptor) {
            return new WebMvcConfigurer() {

                @Override
                public void addInterceptors(InterceptorRegistry registry) {
                    registry.addInterceptor(interceptor).order(Ordered.HIGHEST_PRECEDENCE);
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
    static class WebFluxRules {

        /** Needs the {@code ReactiveLimiter} (there is none over a rate limit store of the application's own). */
        @Bean
        RateLimitRulesWebFilter pielockRateLimitRulesWebFilter(HttpRateLimitRules rules,
                ObjectProvider<ReactiveLimiter> limiter, ServerCodecConfigurer codecs) {
            ReactiveLimiter reactive = limiter.getIfUnique();
            if (reactive == null) {
                throw new InvalidPielockPropertyException(HttpRateLimitRulesFactory.PREFIX, "HTTP rules in a WebFlux "
                        + "application need a ReactiveLimiter, and there is none (a rate limit store of the "
                        + "application's own has no reactive store); declare a ReactiveLimiter bean", null);
            }
            return new RateLimitRulesWebFilter(rules, reactive, codecs);
        }
    }

    /** Whether {@code pielock.limiter.http.rules} has any rule. */
    static class OnHttpRules extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            List<PielockProperties.Rule> rules = Binder.get(context.getEnvironment())
                .bind(HttpRateLimitRulesFactory.PREFIX, Bindable.listOf(PielockProperties.Rule.class))
                .orElse(List.of());
            return rules.isEmpty() ? ConditionOutcome.noMatch("no pielock.limiter.http.rules")
                    : ConditionOutcome.match(rules.size() + " pielock.limiter.http.rules");
        }
    }
}
