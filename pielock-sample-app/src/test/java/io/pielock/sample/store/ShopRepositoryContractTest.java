package io.pielock.sample.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link ShopRepository} does, whichever store it uses; one subclass per store.
 */
abstract class ShopRepositoryContractTest {

    /** Fencing tokens are microseconds of Redis server time: this large, and must still compare exactly. */
    private static final long TOKEN = 1_764_000_000_000_000L;

    protected final String sku = "sku-" + UUID.randomUUID();

    protected abstract ShopRepository repository();

    @Test
    void anItemNeverStockedHasNoStock() {
        assertThat(repository().findStock(this.sku)).isEmpty();
    }

    @Test
    void restockSetsTheStockAndForgetsEarlierReservations() {
        ShopRepository repository = repository();
        repository.restock(this.sku, 5);
        repository.addReservation(new Reservation(this.sku, "alice", 5, "8081/pid-1", TOKEN));
        repository.restock(this.sku, 7);
        assertThat(repository.findStock(this.sku)).contains(7);
        assertThat(repository.reservations(this.sku)).isEmpty();
    }

    @Test
    void savedStockIsReadBack() {
        ShopRepository repository = repository();
        repository.restock(this.sku, 5);
        repository.saveStock(this.sku, 4);
        assertThat(repository.findStock(this.sku)).contains(4);
    }

    @Test
    void reservationsComeBackOldestFirstWithEveryField() {
        ShopRepository repository = repository();
        repository.restock(this.sku, 2);
        Reservation first = new Reservation(this.sku, "alice@example.com", 2, "8081/pid-1", TOKEN);
        Reservation second = new Reservation(this.sku, "bob", 1, "8082/pid-2", TOKEN + 1);
        repository.addReservation(first);
        repository.addReservation(second);
        assertThat(repository.reservations(this.sku)).containsExactly(first, second);
    }

    @Test
    void aPriceIsStoredWhenNoneWasSet() {
        Price price = new Price(this.sku, 1999, TOKEN);
        assertThat(repository().savePrice(price)).isTrue();
        assertThat(repository().findPrice(this.sku)).contains(price);
    }

    @Test
    void aPriceWithAHigherOrEqualFencingTokenReplacesTheStoredOne() {
        ShopRepository repository = repository();
        repository.savePrice(new Price(this.sku, 1999, TOKEN));
        assertThat(repository.savePrice(new Price(this.sku, 1899, TOKEN))).isTrue();
        assertThat(repository.savePrice(new Price(this.sku, 1799, TOKEN + 1))).isTrue();
        assertThat(repository.findPrice(this.sku)).contains(new Price(this.sku, 1799, TOKEN + 1));
    }

    @Test
    void aPriceWithALowerFencingTokenIsRejectedAsStale() {
        ShopRepository repository = repository();
        Price newer = new Price(this.sku, 1999, TOKEN + 1);
        repository.savePrice(newer);
        assertThat(repository.savePrice(new Price(this.sku, 999, TOKEN))).isFalse();
        assertThat(repository.findPrice(this.sku)).contains(newer);
    }

    @Test
    void jobRunsComeBackOldestFirstWithEveryField() {
        ShopRepository repository = repository();
        String job = "job-" + UUID.randomUUID();
        JobRun first = new JobRun(job, Instant.parse("2026-01-01T02:00:00Z"), "8081/pid-1",
                Instant.parse("2026-01-01T02:00:00.250Z"));
        JobRun second = new JobRun(job, Instant.parse("2026-01-02T02:00:00Z"), "8082/pid-2",
                Instant.parse("2026-01-02T02:00:01.125Z"));
        repository.addJobRun(first);
        repository.addJobRun(second);
        assertThat(repository.jobRuns(job)).containsExactly(first, second);
    }

    @Test
    void onlyTheLatestJobRunsAreKept() {
        ShopRepository repository = repository();
        String job = "job-" + UUID.randomUUID();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        int added = ShopRepository.JOB_RUNS_KEPT + 5;
        for (int i = 0; i < added; i++) {
            repository.addJobRun(new JobRun(job, start.plusSeconds(i), "8081/pid-1", start.plusSeconds(i)));
        }
        List<JobRun> runs = repository.jobRuns(job);
        assertThat(runs).hasSize(ShopRepository.JOB_RUNS_KEPT);
        assertThat(runs.get(0).slot()).isEqualTo(start.plusSeconds(5));
        assertThat(runs.get(runs.size() - 1).slot()).isEqualTo(start.plusSeconds(added - 1));
    }
}
