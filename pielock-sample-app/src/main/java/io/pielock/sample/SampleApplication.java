package io.pielock.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

import io.pielock.sample.demo.LoadDemo;

/**
 * A flash-sale shop that uses pielock's locks and rate limits. Run it as is (memory store), with
 * {@code --pielock.store=redis} to share stock, locks and rate limits between instances, or with {@code --demo}
 * for a load demo against itself.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(ShopProperties.class)
public class SampleApplication {

    public static void main(String[] args) {
        if (LoadDemo.requested(args)) {
            System.exit(LoadDemo.run(args, System.out));
        }
        SpringApplication.run(SampleApplication.class, args);
    }
}
