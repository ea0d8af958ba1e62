package io.pielock.sample.shop;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import io.pielock.sample.store.Price;

/**
 * The shop's error answers, as RFC 9457 problem details ({@code application/problem+json}). Spring MVC renders
 * an {@link ErrorResponseException} as its problem detail when {@code spring.mvc.problemdetails.enabled} is on.
 */
final class ShopProblems {

    private ShopProblems() {
    }

    static ErrorResponseException soldOut(String sku) {
        return problem(HttpStatus.CONFLICT, "Sold out", "Item '" + sku + "' is sold out", sku);
    }

    static ErrorResponseException unknownItem(String sku) {
        return problem(HttpStatus.NOT_FOUND, "Unknown item", "Item '" + sku
                + "' is not on sale; stock it first: PUT /api/items/" + sku + "/stock?units=100", sku);
    }

    static ErrorResponseException noPrice(String sku) {
        return problem(HttpStatus.NOT_FOUND, "No price", "Item '" + sku
                + "' has no price to discount; set one first: PUT /api/items/" + sku + "/price?cents=1999", sku);
    }

    static ErrorResponseException stalePrice(Price rejected, Price stored) {
        return problem(HttpStatus.CONFLICT, "Stale write rejected", "Price of '" + rejected.sku()
                + "' not saved: this request's price lock (fencing token " + rejected.fencingToken()
                + ") had expired, and a newer holder (fencing token " + stored.fencingToken() + ") has written since",
                rejected.sku());
    }

    /** The longest part of a rejected value echoed back; the rest is counted, not repeated. */
    static final int ECHOED = 64;

    static ErrorResponseException invalid(String parameter, Object value, String rule) {
        String text = String.valueOf(value);
        String echoed = (text.length() <= ECHOED) ? "'" + text + "'"
                : "'" + text.substring(0, ECHOED) + "…' (" + text.length() + " characters)";
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                parameter + " " + rule + ", but was " + echoed);
        body.setTitle("Invalid " + parameter);
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, body, null);
    }

    private static ErrorResponseException problem(HttpStatus status, String title, String detail, String sku) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setTitle(title);
        body.setProperty("sku", sku);
        return new ErrorResponseException(status, body, null);
    }
}
