package io.pielock.reactive;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;


/** The reactive {@code @DistributedLocked} contract on the memory store. */
class InMemoryReactiveLockedTest extends AbstractReactiveLockedContractTest {

    @Override
    protected String[] storeProperties() {
        return new String[] { "pielock.store=memory" };
    }

    // TEMPORARY until i12-locks auto-configures ReactiveLockTemplate
    @Override
    protected ApplicationContextRunner customize(ApplicationContextRunner runner) {
        return runner.withUserConfiguration(TemporaryReactiveLockTemplate.class);
    }
}
