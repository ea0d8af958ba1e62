package io.pielock.sample;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.pielock.annotation.DistributedLocked;
import io.pielock.lock.LockContext;

/** Increments a named counter under a distributed lock. */
@RestController
public class CounterController {

    private final java.util.concurrent.ConcurrentHashMap<String, Long> counters = new java.util.concurrent.ConcurrentHashMap<>();

    @PostMapping("/api/counters/{name}")
    @DistributedLocked(key = "'counter:' + #name")
    public String increment(@PathVariable String name) {
        long next = this.counters.getOrDefault(name, 0L) + 1;
        this.counters.put(name, next);
        return name + "=" + next + " (fencing token " + LockContext.current().fencingToken() + ")";
    }
}
