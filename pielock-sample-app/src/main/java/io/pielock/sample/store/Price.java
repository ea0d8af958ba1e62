package io.pielock.sample.store;

/**
 * An item's price, as written by the holder of the item's price lock.
 * @param sku the item
 * @param cents the price in cents
 * @param fencingToken the fencing token of the lock under which it was written
 */
public record Price(String sku, long cents, long fencingToken) {
}
