package io.pielock.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.pielock.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pielock over TLS, configured the Spring Boot way ({@code spring.data.redis.ssl.bundle}): Debian's
 * {@code redis-server} is built with TLS. The application talks only to the TLS port, which speaks nothing
 * but TLS. The self-signed certificate in {@code src/test/resources/tls} (CN and SAN localhost/127.0.0.1, valid
 * 2000 to 2147) was made with {@code keytool -genkeypair -ext SAN=dns:localhost,ip:127.0.0.1 -startdate 2000/01/01}
 * and exported to PEM with {@code openssl pkcs12}.
 */
class RedisTlsTest {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, DataRedisAutoConfiguration.class,
                AopAutoConfiguration.class, PielockAutoConfiguration.class))
        .withBean(LockedJobs.class);

    @Test
    void aLockedMethodWorksOverTls() throws Exception {
        int tlsPort = RedisServer.freePort();
        String certificate = Path.of(RedisTlsTest.class.getResource("/tls/redis.crt").toURI()).toString();
        String key = Path.of(RedisTlsTest.class.getResource("/tls/redis.key").toURI()).toString();
        try (RedisServer redis = RedisServer.start("--tls-port", Integer.toString(tlsPort), "--tls-cert-file",
                certificate, "--tls-key-file", key, "--tls-ca-cert-file", certificate, "--tls-auth-clients", "no")) {
            this.contextRunner
                .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + tlsPort,
                        "spring.data.redis.ssl.bundle=redis-test",
                        "spring.ssl.bundle.pem.redis-test.truststore.certificate=classpath:tls/redis.crt")
                .run(context -> {
                    String lockKey = "pielock:lock:{tls-job}";
                    Object holder = context.getBean(LockedJobs.class)
                        .run("tls-job", () -> redis.call("GET", lockKey));
                    assertThat(holder).as("locked through the TLS port").isNotNull();
                    assertThat(redis.call("EXISTS", lockKey)).isEqualTo(0L);
                });
        }
    }
}
