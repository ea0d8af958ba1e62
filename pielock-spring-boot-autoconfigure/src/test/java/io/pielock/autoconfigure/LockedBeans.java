package io.pielock.autoconfigure;

import java.lang.reflect.Method;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

import io.pielock.annotation.DistributedLocked;
import io.pielock.lock.LockAcquisitionException;
import io.pielock.lock.LockContext;

/** Annotated beans the Spring-level tests call. */
final class LockedBeans {

    private LockedBeans() {
    }

    record Order(String id, int quantity) {
    }

    enum Region {
        EU, US
    }

    /** Returns the key each call was locked under, as seen from inside through LockContext. */
    static class KeyEcho {

        @DistributedLocked(key = "#order.id")
        public String byParameterName(Order order) {
            return LockContext.current().key();
        }

        @DistributedLocked(key = "#p0 + ':' + #a1")
        public String byPosition(String first, int second) {
            return LockContext.current().key();
        }

        @DistributedLocked(key = "#root.method.name + '@' + #root.target.class.simpleName")
        public String byRoot() {
            return LockContext.current().key();
        }

        @DistributedLocked(key = "@keyFormatter.format(#id)")
        public String byBeanReference(String id) {
            return LockContext.current().key();
        }

        @DistributedLocked(key = "'nightly-report'")
        public String byLiteral() {
            return LockContext.current().key();
        }

        @DistributedLocked(key = "#id", prefix = "orders:")
        public String withPrefix(long id) {
            return LockContext.current().key();
        }

        @DistributedLocked(key = "#id")
        public String byUuid(UUID id) {
            return LockContext.current().key();
        }

        @DistributedLocked(key = "#region")
        public String byEnum(Region region) {
            return LockContext.current().key();
        }

        @DistributedLocked(key = "#order")
        public String byRecord(Order order) {
            return LockContext.current().key();
        }

        @DistributedLocked(key = "#ids")
        public String byCollection(List<String> ids) {
            return LockContext.current().key();
        }

        @DistributedLocked(key = "#id")
        public String byNullable(String id) {
            return LockContext.current().key();
        }

        @DistributedLocked(key = "#value")
        public String byPlainObject(Object value) {
            return LockContext.current().key();
        }

        @DistributedLocked(key = "#text")
        public String literally(String text) {
            return LockContext.current().key();
        }
    }

    static class KeyFormatter {

        public String format(String id) {
            return "formatted:" + id;
        }
    }

    /** Methods whose lock another process holds in the tests. */
    static class Contended {

        @DistributedLocked(key = "#key", timeout = "0")
        public String noFallback(String key) {
            return "ran";
        }

        @DistributedLocked(key = "#key", timeout = "${test.lock.timeout:0}", fallback = "busy")
        public String withFallback(String key) {
            return "ran";
        }

        public String busy(String key) {
            return "busy:" + key;
        }

        @DistributedLocked(key = "#key", timeout = "0", fallback = "busyWithReason")
        public String withFallbackTakingTheException(String key) {
            return "ran";
        }

        String busyWithReason(String key, LockAcquisitionException ex) {
            return ex.getReason() + ":" + ex.getMethod().getName();
        }

        @DistributedLocked(key = "#key", timeout = "200ms", retryAfter = "20ms", tries = 3)
        public String fewTries(String key) {
            return "ran";
        }
    }

    /** Nested calls through the proxy on one key. */
    @Component
    static class Reentrant {

        private Reentrant self;

        void setSelf(Reentrant self) {
            this.self = self;
        }

        @DistributedLocked(key = "#key", timeout = "1s")
        public long outer(String key) {
            long outerToken = LockContext.current().fencingToken();
            long innerToken = this.self.inner(key);
            return (innerToken == outerToken) ? innerToken : -1;
        }

        @DistributedLocked(key = "#key", timeout = "1s")
        public long inner(String key) {
            return LockContext.current().fencingToken();
        }

        @DistributedLocked(key = "#key", timeout = "30s", reentrant = false)
        public int recurse(String key, int depth) {
            return (depth == 0) ? 0 : 1 + this.self.recurse(key, depth - 1);
        }

        @DistributedLocked(key = "#key")
        public void fails(String key) {
            throw new IllegalStateException("failed inside the lock");
        }
    }

    static Method method(Class<?> type, String name) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.getName().equals(name)) {
                return method;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
