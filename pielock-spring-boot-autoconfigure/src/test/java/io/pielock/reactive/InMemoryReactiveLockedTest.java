package io.pielock.reactive;

/** The reactive {@code @DistributedLocked} contract on the memory store. */
class InMemoryReactiveLockedTest extends AbstractReactiveLockedContractTest {

    @Override
    protected String[] storeProperties() {
        return new String[] { "pielock.store=memory" };
    }
}
