package io.pielock.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

import io.pielock.autoconfigure.PielockProperties.Store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The store the conditions chose is the store {@code pielock.store} asks for, or the application does not start:
 * they can only differ in an application processed ahead of time (Spring AOT) for another store.
 */
class StoreChoiceTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PielockAutoConfiguration.class));

    @Test
    void theChoiceOfTheConditionsIsTheStoreThePropertyAsksFor() {
        this.runner.withPropertyValues("pielock.store=memory")
            .run(context -> assertThat(context.getBean(StoreChoice.class).store()).isEqualTo(Store.MEMORY));
    }

    @Test
    void aStoreChosenAsThePropertyAsksIsAccepted() {
        assertThat(StoreChoice.verified(Store.REDIS, new MockEnvironment()).store()).isEqualTo(Store.REDIS);
        assertThat(StoreChoice.verified(Store.MEMORY, new MockEnvironment().withProperty("pielock.store", "Memory"))
            .store()).isEqualTo(Store.MEMORY);
    }

    @Test
    void aRunAskingForAnotherStoreThanTheAheadOfTimeProcessingChoseRefusesToStartSayingHowToFixIt() {
        assertThatExceptionOfType(InvalidPielockPropertyException.class)
            .isThrownBy(() -> StoreChoice.verified(Store.MEMORY, new MockEnvironment()
                .withProperty("pielock.store", "redis")))
            .satisfies(ex -> assertThat(ex.getProperty()).isEqualTo("pielock.store"))
            .withMessageContaining("it is 'redis', but this application was processed ahead of time (Spring AOT) "
                    + "with pielock.store=memory")
            .withMessageContaining("Process it again with pielock.store=redis")
            .withMessageContaining("without -Dspring.aot.enabled=true");
    }
}
