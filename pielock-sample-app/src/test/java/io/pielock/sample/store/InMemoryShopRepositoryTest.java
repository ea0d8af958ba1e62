package io.pielock.sample.store;

class InMemoryShopRepositoryTest extends ShopRepositoryContractTest {

    private final InMemoryShopRepository repository = new InMemoryShopRepository();

    @Override
    protected ShopRepository repository() {
        return this.repository;
    }
}
