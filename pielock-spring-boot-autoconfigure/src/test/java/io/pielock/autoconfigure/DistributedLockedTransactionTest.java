package io.pielock.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.Advised;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionInterceptor;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.pielock.annotation.DistributedLocked;
import io.pielock.interceptor.DistributedLockInterceptor;
import io.pielock.lock.LockTemplate;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock outlives the transaction that writes under it, so no other process can take the lock and read data
 * that is not committed yet.
 */
class DistributedLockedTransactionTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
                PielockAutoConfiguration.class))
        .withPropertyValues(TestRedis.endpoint().springProperties())
        .withUserConfiguration(Database.class);

    private final LockTemplate otherProcess = new LockTemplate(
            new RedisLockStore(TestRedis.connectionFactory(), new RedisKeys("pielock:")));

    @Test
    void lockIsStillHeldWhenTheMethodsOwnTransactionCommits() {
        this.runner.run(context -> {
            String key = "tx:" + UUID.randomUUID();
            AtomicReference<Boolean> othersCouldLockAtCommit = new AtomicReference<>();
            context.getBean(Ledger.class).recordInOwnTransaction(key,
                    () -> othersCouldLockAtCommit.set(tryLockAndRelease(key)));
            assertThat(othersCouldLockAtCommit.get()).as("another process could take the lock at commit").isFalse();
            assertThat(tryLockAndRelease(key)).as("released after the commit").isTrue();
        });
    }

    @Test
    void lockAdviceRunsOutsideTheTransactionAdvice() {
        this.runner.run(context -> {
            List<Class<?>> chain = Arrays.stream(((Advised) context.getBean(Ledger.class)).getAdvisors())
                .map(advisor -> advisor.getAdvice().getClass())
                .collect(Collectors.toList());
            assertThat(chain.indexOf(DistributedLockInterceptor.class)).isNotNegative()
                .isLessThan(chain.indexOf(TransactionInterceptor.class));
        });
    }

    @Test
    void joiningAnOuterTransactionDefersTheReleaseUntilItCompletes() {
        this.runner.run(context -> {
            String key = "tx:" + UUID.randomUUID();
            TransactionTemplate outer = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            outer.executeWithoutResult(status -> {
                context.getBean(Ledger.class).recordJoining(key);
                assertThat(tryLockAndRelease(key)).as("held until the outer transaction completes").isFalse();
            });
            assertThat(tryLockAndRelease(key)).isTrue();
            assertThat(context.getBean(JdbcTemplate.class)
                .queryForObject("select count(*) from ledger where id = ?", Integer.class, key)).isEqualTo(1);
        });
    }

    @Test
    void deferredReleaseAlsoHappensWhenTheOuterTransactionRollsBack() {
        this.runner.run(context -> {
            String key = "tx:" + UUID.randomUUID();
            TransactionTemplate outer = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            outer.executeWithoutResult(status -> {
                context.getBean(Ledger.class).recordJoining(key);
                status.setRollbackOnly();
            });
            assertThat(tryLockAndRelease(key)).isTrue();
        });
    }

    private boolean tryLockAndRelease(String key) {
        boolean acquired = this.otherProcess.tryAcquire(key).acquired();
        if (acquired) {
            this.otherProcess.release(key);
        }
        return acquired;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    static class Database {

        @Bean
        DataSource dataSource() {
            return new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2).generateUniqueName(true)
                .addScript("classpath:io/pielock/autoconfigure/ledger.sql")
                .build();
        }

        @Bean
        PlatformTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }

        @Bean
        JdbcTemplate jdbcTemplate(DataSource dataSource) {
            return new JdbcTemplate(dataSource);
        }

        @Bean
        Ledger ledger(JdbcTemplate jdbc) {
            return new Ledger(jdbc);
        }
    }

    static class Ledger {

        private final JdbcTemplate jdbc;

        Ledger(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @DistributedLocked(key = "#key")
        @Transactional
        public void recordInOwnTransaction(String key, Runnable atCommit) {
            this.jdbc.update("insert into ledger (id) values (?)", key);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    atCommit.run();
                }
            });
        }

        @DistributedLocked(key = "#key")
        public void recordJoining(String key) {
            this.jdbc.update("insert into ledger (id) values (?)", key);
        }
    }
}
