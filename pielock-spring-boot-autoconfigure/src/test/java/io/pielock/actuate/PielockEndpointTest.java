package io.pielock.actuate;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

import io.pielock.actuate.PielockEndpoint.LockDescriptor;
import io.pielock.limiter.Limiter;
import io.pielock.lock.ForwardingLockStore;
import io.pielock.lock.LockStore;
import io.pielock.lock.LockTemplate;
import io.pielock.store.memory.InMemoryLockStore;
import io.pielock.store.memory.InMemoryRateLimitStore;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint on the memory store, without HTTP: who is shown keys, and what a store that cannot inspect says. */
class PielockEndpointTest {

    private final InMemoryLockStore store = new InMemoryLockStore();

    private final LockTemplate locks = new LockTemplate(this.store);

    @AfterEach
    void close() {
        this.locks.close();
    }

    private PielockEndpoint endpoint(LockStore store, Show showValues, List<SanitizingFunction> functions) {
        LockTemplate template = (store == this.store) ? this.locks : new LockTemplate(store);
        return new PielockEndpoint(template, store, new Limiter(new InMemoryRateLimitStore()),
                new AnnotatedMethods(new DefaultListableBeanFactory(), null, null), functions, showValues);
    }

    @Test
    void theMemoryStoreIsNamedAndInspected() {
        PielockEndpoint endpoint = endpoint(this.store, Show.ALWAYS, List.of());
        long fencingToken = this.locks.acquire("orders:42").fencingToken();

        assertThat(endpoint.pielock().store().type()).isEqualTo("memory");
        LockDescriptor lock = endpoint.lock("locks", "orders:42");
        assertThat(lock.state()).isEqualTo("held");
        assertThat(lock.lastFencingToken()).isEqualTo(fencingToken);
        assertThat(lock.heldHere().depth()).isEqualTo(1);
        assertThat(Duration.parse(lock.leaseLeft())).isPositive();
        this.locks.release("orders:42");
    }

    @Test
    void whenAuthorizedShowsKeysOnlyToACallerInOneOfTheRoles() {
        PielockEndpointWebExtension web = new PielockEndpointWebExtension(endpoint(this.store, Show.WHEN_AUTHORIZED,
                List.of()), Show.WHEN_AUTHORIZED, Set.of("OPS"));
        this.locks.acquire("orders:42");

        assertThat(web.pielock(caller(null)).heldLocks().get(0).key()).isEqualTo("******");
        assertThat(web.pielock(caller("OTHER")).heldLocks().get(0).key()).isEqualTo("******");
        assertThat(web.pielock(caller("OPS")).heldLocks().get(0).key()).isEqualTo("orders:42");
        assertThat(web.lock(caller("OPS"), "locks", "orders:42").getBody().key()).isEqualTo("orders:42");
        assertThat(web.lock(caller(null), "locks", "orders:42").getBody().key()).isEqualTo("******");
        this.locks.release("orders:42");
    }

    @Test
    void sanitizingFunctionsSeeTheKeysThatAreShown() {
        SanitizingFunction hideEmails = data -> (data.getValue() instanceof String text && text.contains("@"))
                ? data.withSanitizedValue() : data;
        PielockEndpoint endpoint = endpoint(this.store, Show.ALWAYS, List.of(hideEmails));
        this.locks.acquire("user:alice@example.com");
        this.locks.acquire("orders:42");

        assertThat(endpoint.pielock().heldLocks()).extracting("key").containsExactly("orders:42", "******");
        this.locks.release("user:alice@example.com");
        this.locks.release("orders:42");
    }

    @Test
    void aStoreThatCannotInspectLocksMakesTheStateUnknown() {
        LockStore custom = new CustomStore(this.store);
        PielockEndpoint endpoint = endpoint(custom, Show.NEVER, List.of());

        LockDescriptor lock = endpoint.lock("locks", "orders:42");

        assertThat(lock.state()).isEqualTo("unknown");
        assertThat(lock.error()).contains("cannot inspect locks");
        assertThat(endpoint.pielock().store().type()).isEqualTo("custom");
    }

    private static SecurityContext caller(String role) {
        return new SecurityContext() {

            @Override
            public Principal getPrincipal() {
                return (role != null) ? () -> "someone" : null;
            }

            @Override
            public boolean isUserInRole(String name) {
                return name.equals(role);
            }
        };
    }

    /** A store of the application's own, written before {@link LockStore#inspect(String)} existed. */
    private static final class CustomStore extends ForwardingLockStore {

        CustomStore(LockStore delegate) {
            super(delegate);
        }
    }
}
