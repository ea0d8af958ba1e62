package io.pielock.web;

import java.time.Duration;

import io.pielock.limiter.Limit;
import io.pielock.limiter.LimitResult;

/**
 * The {@code RateLimit-Policy} and {@code RateLimit} field values of the IETF httpapi draft
 * (draft-ietf-httpapi-ratelimit-headers-11), written in one place so that 429 answers and allowed answers agree,
 * in Spring MVC and in WebFlux ({@code io.pielock.web.reactive}).
 */
public final class RateLimitFields {

    private RateLimitFields() {
    }

    /**
     * @param limit a limit
     * @return its {@code RateLimit-Policy} value, for example {@code "2-per-1m";q=2;w=60}
     */
    public static String policy(Limit limit) {
        return "\"" + policyName(limit) + "\";q=" + limit.count() + ";w=" + ceilSeconds(limit.window());
    }

    /**
     * The service limit after a decision: {@code "2-per-1m";r=1} when allowed, {@code "2-per-1m";r=0;t=42}
     * when denied. {@code t} (optional in the draft) is sent only when it is known: for a denied call, the
     * seconds until a call could pass. An allowed result carries no such time (a sliding window frees its calls
     * one by one, as they leave it), and a guessed one would mislead.
     * @param result a decision
     * @return its {@code RateLimit} value
     */
    public static String rateLimit(LimitResult result) {
        String item = "\"" + policyName(result.limit()) + "\";r=" + result.remaining();
        return result.allowed() ? item : item + ";t=" + ceilSeconds(result.retryAfter());
    }

    /**
     * @param limit the exhausted limit
     * @param retryAfterSeconds when a call could pass, in whole seconds
     * @return an exhausted limit's service limit, for example {@code "2-per-1m";r=0;t=42}
     */
    public static String exhausted(Limit limit, long retryAfterSeconds) {
        return "\"" + policyName(limit) + "\";r=0;t=" + retryAfterSeconds;
    }

    /**
     * A name for the policy that identifies the limit without the key, for example {@code 2-per-1s} or
     * {@code 2-per-1s-GCRA}.
     * @param limit a limit
     * @return its policy's name
     */
    public static String policyName(Limit limit) {
        return limit.toString().replace(",", "").replace(' ', '-');
    }

    /**
     * Whole seconds, rounded up, and at least 1: the fields take no fractions, and 0 would invite a retry now.
     * @param duration a duration
     * @return its whole seconds
     */
    public static long ceilSeconds(Duration duration) {
        long seconds = duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    /**
     * Which decision a response describes when a request had several: the most restrictive, with fewer calls
     * left, or as few and a longer wait (a denied call's).
     * @param candidate a decision
     * @param current the decision kept so far
     * @return whether {@code candidate} is more restrictive than {@code current}
     */
    public static boolean isMoreRestrictive(LimitResult candidate, LimitResult current) {
        if (candidate.remaining() != current.remaining()) {
            return candidate.remaining() < current.remaining();
        }
        return candidate.retryAfter().compareTo(current.retryAfter()) > 0;
    }
}
