package io.pielock.reactive;

import java.time.Duration;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import io.pielock.annotation.DistributedLocked;
import io.pielock.annotation.RateLimited;
import io.pielock.limiter.TimeUnit;
import io.pielock.lock.ReactiveLockContext;
import io.pielock.lock.ReactiveLockHandle;

/**
 * The WebFlux example of docs/reactive-annotations.md (the README's "Async and reactive" section), exactly as
 * shown there: it must keep compiling. Keep the two in step.
 */
final class ReadmeWebFluxExample {

    private ReadmeWebFluxExample() {
    }

    // --- begin README example ---
    @RestController
    static class TicketController {

        private final TicketService tickets;

        TicketController(TicketService tickets) {
            this.tickets = tickets;
        }

        @PostMapping("/concerts/{concert}/tickets")
        Mono<String> buy(@PathVariable String concert) {
            return this.tickets.buy(concert).map(left -> "bought; " + left + " left");
        }
    }

    @Service
    static class TicketService {

        private final ReactiveStringRedisTemplate redis;

        TicketService(ReactiveStringRedisTemplate redis) {
            this.redis = redis;
        }

        // Acquired when the Mono is subscribed to, held until it completes, fails or is cancelled;
        // waiting for the lock parks no thread. A denied call is an error signal (429 in WebFlux).
        @RateLimited(key = "#concert", count = 100, per = TimeUnit.SECOND)
        @DistributedLocked(key = "#concert", expires = "10s", timeout = "5s")
        public Mono<Long> buy(String concert) {
            String stock = "stock:" + concert;
            return this.redis.opsForValue().get(stock)
                .map(Long::parseLong)
                .filter(left -> left > 0)
                .switchIfEmpty(Mono.error(new IllegalStateException(concert + " is sold out")))
                .delayElement(Duration.ofMillis(5)) // e.g. a call to the payment service
                .flatMap(left -> ReactiveLockContext.current()
                    .map(ReactiveLockHandle::fencingToken) // pass it on to storage that checks fencing
                    .then(this.redis.opsForValue().set(stock, Long.toString(left - 1)))
                    .thenReturn(left - 1));
        }
    }
    // --- end README example ---
}
