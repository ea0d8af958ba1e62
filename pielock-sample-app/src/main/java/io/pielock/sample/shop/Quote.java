package io.pielock.sample.shop;

/**
 * What some units of an item cost now.
 *
 * @param sku the item
 * @param units how many
 * @param cents their price in cents
 */
public record Quote(String sku, int units, long cents) {
}
