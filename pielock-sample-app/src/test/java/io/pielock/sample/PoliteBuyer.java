package io.pielock.sample;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.function.IntFunction;

import io.pielock.sample.demo.ShopClient;

/**
 * A buyer who reserves as fast as the per-second quota lets them: after a 429 of the per-second limit they wait
 * its {@code Retry-After} and go on, until a 429 of the per-minute limit stops them. So only the per-minute limit
 * decides how many reservations they get, however fast or slow the machine is.
 */
public final class PoliteBuyer {

    /** The per-second quota's policy, as the 429's rate-limit fields name it. */
    public static final String PER_SECOND = "\"2-per-1s\"";

    /** The per-minute quota's policy. */
    public static final String PER_MINUTE = "\"5-per-1m\"";

    /** More than the per-minute quota and the per-second 429s on the way can take. */
    private static final int MAX_CALLS = 20;

    private PoliteBuyer() {
    }

    /**
     * @param client the shop's client
     * @param target where call {@code i} goes
     * @param sku the item (in stock)
     * @param buyer a buyer new to the shop
     * @return how many reservations they got, and the answer that stopped them
     * @throws AssertionError if an answer was neither 200 nor a 429 of a quota, or nothing stopped them
     */
    public static Outcome reserveUntilTheMinuteLimit(ShopClient client, IntFunction<URI> target, String sku,
            String buyer) throws InterruptedException {
        int reserved = 0;
        for (int call = 0; call < MAX_CALLS; call++) {
            HttpResponse<String> answer = client.reserve(target.apply(call), sku, buyer);
            if (answer.statusCode() == 200) {
                reserved++;
            }
            else if (deniedBy(answer, PER_SECOND)) {
                Thread.sleep(retryAfterSeconds(answer) * 1000);
            }
            else if (deniedBy(answer, PER_MINUTE)) {
                return new Outcome(reserved, answer);
            }
            else {
                throw new AssertionError("Call " + call + " answered " + answer.statusCode() + " " + answer.headers()
                        + ": " + answer.body());
            }
        }
        throw new AssertionError(MAX_CALLS + " calls by " + buyer + " were never stopped by the per-minute limit");
    }

    /**
     * @param answer an answer
     * @param policy {@link #PER_SECOND} or {@link #PER_MINUTE}
     * @return whether it is a 429 of that limit
     */
    public static boolean deniedBy(HttpResponse<String> answer, String policy) {
        return answer.statusCode() == 429
                && answer.headers().firstValue("RateLimit").orElse("").startsWith(policy + ";");
    }

    /**
     * @param answer a 429
     * @return its {@code Retry-After}, in seconds
     */
    public static long retryAfterSeconds(HttpResponse<String> answer) {
        return Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow());
    }

    /**
     * @param reserved how many reservations the buyer got
     * @param stoppedBy the per-minute limit's 429
     */
    public record Outcome(int reserved, HttpResponse<String> stoppedBy) {
    }
}
