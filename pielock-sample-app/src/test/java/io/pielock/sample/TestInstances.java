package io.pielock.sample;

import java.net.URI;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts instances of the shop for tests, as {@code java -jar} would, each with its own web server. */
public final class TestInstances {

    private TestInstances() {
    }

    /**
     * @param args command-line arguments; by default the instance listens on a free port and the nightly report
     *        is off ({@code --shop.report.cron=...} turns it on)
     * @return the running instance (close it when done)
     */
    public static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(SampleApplication.class)
            .properties("server.port=0", "shop.report.cron=-")
            .run(args);
    }

    /**
     * @param instance a running instance
     * @return its base URL
     */
    public static URI url(ConfigurableApplicationContext instance) {
        return URI.create("http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port"));
    }
}
