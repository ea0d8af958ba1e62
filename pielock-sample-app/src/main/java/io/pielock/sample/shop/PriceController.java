package io.pielock.sample.shop;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.pielock.sample.store.Price;

/**
 * Prices: {@code PUT /api/items/{sku}/price?cents=1999} sets one,
 * {@code POST /api/items/{sku}/price/discount?percent=10} takes a percentage off. Both answer with the stored
 * price and the fencing token it was written with, or 429 with {@code Retry-After} beyond
 * {@value PriceService#CHANGES_PER_MINUTE} changes of the item's price a minute.
 */
@RestController
@RequestMapping("/api/items/{sku}/price")
public class PriceController {

    private final PriceService prices;

    PriceController(PriceService prices) {
        this.prices = prices;
    }

    /**
     * @param sku the item
     * @param cents the new price
     * @return the stored price
     */
    @PutMapping
    public Price setPrice(@PathVariable String sku, @RequestParam long cents) {
        return this.prices.setPrice(Names.require("sku", sku),
                Names.requireBetween("cents", cents, 0, Long.MAX_VALUE / 100));
    }

    /**
     * @param sku the item
     * @param units how many, 1 to 1,000
     * @param client the API client asking (its quota is counted)
     * @param plan its plan, {@code free} or {@code pro} (pielock.limiter.limits in application.yml)
     * @return what the units cost now
     */
    @GetMapping("/quote")
    public Quote quote(@PathVariable String sku, @RequestParam int units, @RequestParam String client,
            @RequestParam String plan) {
        return this.prices.quote(Names.require("sku", sku), (int) Names.requireBetween("units", units, 1, 1000),
                Names.require("client", client), Names.require("plan", plan));
    }

    /**
     * @param sku the item
     * @param percent the discount, 1 to 99
     * @return the stored price
     */
    @PostMapping("/discount")
    public Price discount(@PathVariable String sku, @RequestParam int percent) {
        return this.prices.discount(Names.require("sku", sku), (int) Names.requireBetween("percent", percent, 1, 99));
    }
}
