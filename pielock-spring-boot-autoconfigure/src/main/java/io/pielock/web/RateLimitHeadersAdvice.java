package io.pielock.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

import io.pielock.limiter.LimitResult;

/**
 * Writes the rate limit decision of a request ({@link RequestRateLimit}) as the response's
 * {@code RateLimit-Policy} and {@code RateLimit} fields, in the syntax of the 429 answers of
 * {@link RateLimitExceptionHandler}, for example {@code "2-per-1m";q=2;w=60} and {@code "2-per-1m";r=1}.
 * {@code t} (optional in the draft) is sent only for a denied call answered by a fallback or by the application's
 * own handler ({@code "2-per-1m";r=0;t=42}): an allowed decision does not say when the window frees its next call.
 * <p>
 * Fields must be written before the response is committed, which happens at different moments:
 * <ul>
 * <li>a return value that Spring MVC hands to a message converter ({@code @ResponseBody}, a
 * {@code @RestController}'s {@code void}, a {@code ResponseEntity} with or without a body, an exception
 * handler's answer) is written, and the response committed, while the return value is handled; the converter
 * step consults every {@link ResponseBodyAdvice} just before writing, even for an empty body, so the fields are
 * added there;</li>
 * <li>a handler whose answer needs no converter (a {@code void} method with {@code @ResponseStatus}, one that
 * takes the {@code HttpServletResponse}, a view) leaves the response uncommitted until after the
 * {@link HandlerInterceptor}'s {@code postHandle}, which runs after the return value was handled and before a
 * view is rendered, so the fields are added there.</li>
 * </ul>
 * Writing when the decision is made (through the response bound to the request) would reach these too, but then
 * every decision of the request writes, and an answer's own fields (a 429's) meet fields already on the response.
 * Deferred, the request's most restrictive decision is written once, and only where the answer has no
 * {@code RateLimit} field of its own.
 * <p>
 * A response that already carries a {@code RateLimit} field (pielock's 429, or the application's own) is left
 * alone. A handler that writes the response itself (through the {@code HttpServletResponse}, or a
 * {@code StreamingResponseBody}) may commit it before either hook runs, and then gets no fields; decisions made on
 * another thread than the request's are not seen.
 */
@ControllerAdvice
public class RateLimitHeadersAdvice implements ResponseBodyAdvice<Object>, HandlerInterceptor {

    /** @return {@code true}: whether a decision was recorded is known only per request */
    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    /**
     * Adds the fields of the request's decision, if there was one and the response has no {@code RateLimit}
     * field yet.
     * @return the body, unchanged
     */
    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType selectedContentType,
            Class<? extends HttpMessageConverter<?>> selectedConverterType, ServerHttpRequest request,
            ServerHttpResponse response) {
        if (request instanceof ServletServerHttpRequest servletRequest) {
            LimitResult result = RequestRateLimit.of(servletRequest.getServletRequest());
            HttpHeaders headers = response.getHeaders();
            if (result != null && !headers.containsHeader(RateLimitExceptionHandler.RATE_LIMIT)) {
                headers.set(RateLimitExceptionHandler.RATE_LIMIT_POLICY, RateLimitFields.policy(result.limit()));
                headers.set(RateLimitExceptionHandler.RATE_LIMIT, RateLimitFields.rateLimit(result));
            }
        }
        return body;
    }

    /**
     * Adds the fields of the request's decision to a response that is not committed yet (no body was written),
     * if there was one and the response has no {@code RateLimit} field yet.
     */
    @Override
    public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
            ModelAndView modelAndView) {
        LimitResult result = RequestRateLimit.of(request);
        if (result != null && !response.isCommitted()
                && !response.containsHeader(RateLimitExceptionHandler.RATE_LIMIT)) {
            response.setHeader(RateLimitExceptionHandler.RATE_LIMIT_POLICY, RateLimitFields.policy(result.limit()));
            response.setHeader(RateLimitExceptionHandler.RATE_LIMIT, RateLimitFields.rateLimit(result));
        }
    }
}
