package io.pielock.sample.shop;

import java.util.regex.Pattern;

/** What the API accepts as an item or user name: short, and safe to use in keys and logs as is. */
final class Names {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private Names() {
    }

    static String require(String parameter, String value) {
        if (!VALID.matcher(value).matches()) {
            throw ShopProblems.invalid(parameter, value, "must be 1 to 64 letters, digits, '.', '_', '@' or '-'");
        }
        return value;
    }

    static long requireBetween(String parameter, long value, long min, long max) {
        if (value < min || value > max) {
            throw ShopProblems.invalid(parameter, value, "must be between " + min + " and " + max);
        }
        return value;
    }
}
