package io.pielock.sample.shop;

import io.pielock.sample.store.Price;

/**
 * An item as the API shows it.
 * @param sku the item
 * @param stock the units left
 * @param price its price, or {@code null} if none was set
 */
public record Item(String sku, int stock, Price price) {
}
