package io.pielock.sample.store;

/**
 * One reserved unit of an item.
 * @param sku the item
 * @param user who reserved it
 * @param unit which unit: the stock level it was taken from (the first buyer of 100 gets unit 100), so two
 *        reservations of the same unit are an oversell
 * @param instance the application instance that took the reservation
 * @param fencingToken the fencing token of the stock lock under which it was taken
 */
public record Reservation(String sku, String user, int unit, String instance, long fencingToken) {
}
