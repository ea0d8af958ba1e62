package io.pielock.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** The startup log says where stock, locks and rate limits live, and how to switch. */
@ExtendWith(OutputCaptureExtension.class)
class StoreAnnouncementTest {

    @Test
    void byDefaultTheLogSaysMemoryAndHowToShareThroughRedis(CapturedOutput output) {
        try (ConfigurableApplicationContext shop = TestInstances.start()) {
            assertThat(output.getOut()).containsPattern("Flash-sale shop ready: instance \\d+/pid-\\d+\\. Stock, locks "
                    + "and rate limits: memory \\(this JVM only\\), pielock.store=memory\\. To share them between "
                    + "instances, use Redis: --pielock.store=redis or --spring.profiles.active=redis");
        }
    }

    @Test
    void onRedisTheLogSaysWhichRedisAndHowToRunWithoutIt(CapturedOutput output) {
        TestRedis.Endpoint redis = TestRedis.endpoint();
        try (ConfigurableApplicationContext shop = TestInstances.start("--spring.profiles.active=redis",
                "--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port())) {
            assertThat(output.getOut()).contains("Stock, locks and rate limits: Redis at " + redis.host() + ":"
                    + redis.port() + ", shared by every instance on that Redis, pielock.store=redis. To run without Redis: "
                    + "--pielock.store=memory");
        }
    }
}
