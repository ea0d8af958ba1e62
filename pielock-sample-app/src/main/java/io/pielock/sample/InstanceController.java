package io.pielock.sample;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.pielock.sample.store.ShopRepository;

/** {@code GET /api/instance}: which instance answered, and where it keeps its state. */
@RestController
public class InstanceController {

    private final InstanceId instance;

    private final ShopRepository repository;

    InstanceController(InstanceId instance, ShopRepository repository) {
        this.instance = instance;
        this.repository = repository;
    }

    /** @return this instance's name and store */
    @GetMapping("/api/instance")
    public InstanceInfo instance() {
        return new InstanceInfo(this.instance.id(), this.repository.toString());
    }

    /**
     * @param instance the instance's name (port and process id)
     * @param store where it keeps stock and locks
     */
    public record InstanceInfo(String instance, String store) {
    }
}
