package io.pielock.benchmark.jmh;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.pielock.autoconfigure.PielockAutoConfiguration;

/**
 * The smallest Spring application with pielock's auto-configuration on the memory store, so Redis plays no part
 * in what the interception benchmarks measure.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ AopAutoConfiguration.class, PielockAutoConfiguration.class })
public class InterceptionApplication {

    @Bean
    GuardedCalls guardedCalls() {
        return new GuardedCalls();
    }

    /**
     * @param properties more properties ({@code name=value})
     * @return the running application ({@code pielock.store=memory})
     */
    public static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(InterceptionApplication.class).web(WebApplicationType.NONE)
            .logStartupInfo(false)
            .properties("pielock.store=memory", "spring.main.banner-mode=off")
            .properties(properties)
            .run();
    }
}
