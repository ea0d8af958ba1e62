package io.pielock.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Holds repeated {@link RateLimited} annotations; the compiler writes it when a method carries several, and
 * every one of them must admit a call.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RateLimits {

    /** @return the rate limits, all of which must admit a call */
    RateLimited[] value();
}
