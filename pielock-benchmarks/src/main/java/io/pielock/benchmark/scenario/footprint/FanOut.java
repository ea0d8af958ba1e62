package io.pielock.benchmark.scenario.footprint;

/**
 * Where the releases of one contended lock were delivered, with a number of independent stores (processes)
 * connected.
 * @param stores how many {@code RedisLockStore}s, each on its own connection factory: one holder, one waiter, the
 *        rest waiting for other locks
 * @param releases how many times the holder released the contended lock while the waiter waited
 * @param publishes {@code PUBLISH} commands Redis ran over those releases ({@code INFO commandstats})
 * @param toWaiter release messages the waiter's listener received
 * @param toHolder release messages the holder's listener received
 * @param toOthers release messages the other stores' listeners received, together
 * @param channels channels with subscribers while it ran ({@code INFO stats pubsub_channels})
 */
public record FanOut(int stores, int releases, long publishes, long toWaiter, long toHolder, long toOthers,
        long channels) {

    /** @return messages delivered per release, to every store together */
    public double messagesPerRelease() {
        return (double) (this.toWaiter + this.toHolder + this.toOthers) / this.releases;
    }

    /** @return how many stores neither hold nor wait for the contended lock */
    public int others() {
        return this.stores - 2;
    }
}
