package io.pielock.sample.shop;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.pielock.sample.store.Reservation;

/**
 * The flash sale's HTTP API:
 * <ul>
 * <li>{@code PUT /api/items/{sku}/stock?units=100} starts a sale (sets the stock, forgets reservations);</li>
 * <li>{@code POST /api/items/{sku}/reserve?user=alice} reserves one unit (409 when sold out; 429 with
 * {@code Retry-After} beyond the buyer's quota of 2 a second and 5 a minute, see
 * {@link ReservationService#reserve});</li>
 * <li>{@code GET /api/items/{sku}} and {@code GET /api/items/{sku}/reservations} read the state.</li>
 * </ul>
 * Names are validated here, before the service's rate limits and locks use them in keys. Errors are problem
 * details: this package's {@link ShopProblems} and {@link UnavailableAdvice} (503), and pielock's
 * {@link io.pielock.web.RateLimitExceptionHandler} (429).
 */
@RestController
@RequestMapping("/api/items/{sku}")
public class ShopController {

    private static final int MAX_UNITS = 1_000_000;

    private final ReservationService reservations;

    ShopController(ReservationService reservations) {
        this.reservations = reservations;
    }

    /**
     * @param sku the item
     * @param units the units on sale
     * @return the item
     */
    @PutMapping("/stock")
    public Item restock(@PathVariable String sku, @RequestParam int units) {
        return this.reservations.restock(Names.require("sku", sku),
                (int) Names.requireBetween("units", units, 0, MAX_UNITS));
    }

    /**
     * @param sku the item
     * @param user the buyer
     * @return the reservation
     * @throws io.pielock.limiter.RateLimitExceededException (answered 429) when the buyer's quota is used up
     */
    @PostMapping("/reserve")
    public Reservation reserve(@PathVariable String sku, @RequestParam String user) {
        return this.reservations.reserve(Names.require("sku", sku), Names.require("user", user));
    }

    /**
     * @param sku the item
     * @return its stock and price
     */
    @GetMapping
    public Item item(@PathVariable String sku) {
        return this.reservations.item(Names.require("sku", sku));
    }

    /**
     * @param sku the item
     * @return its reservations since the last restock, oldest first
     */
    @GetMapping("/reservations")
    public List<Reservation> reservations(@PathVariable String sku) {
        return this.reservations.reservations(Names.require("sku", sku));
    }
}
