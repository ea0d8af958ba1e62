package io.pielock.interceptor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.core.ReactiveAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.pielock.lock.LockAcquisitionException;
import io.pielock.lock.LockOptions;
import io.pielock.lock.ReactiveLockTemplate;

/**
 * The asynchronous half of {@link DistributedLockInterceptor}: hands {@code @DistributedLocked} methods that
 * return a {@code Mono}, {@code Flux} (or another deferred reactive type) or a {@code CompletionStage} to
 * {@link ReactiveLockTemplate#execute}, which holds the lock until the result completes, fails or is cancelled.
 * Loaded only when Reactor is on the class path.
 * <ul>
 * <li><b>Reactive results</b>: the key is evaluated when the method is called (a bad key is the error signal);
 * each subscription acquires, then invokes the method (the rest of the advice chain and the body, so eager work in
 * the body is guarded too) on the thread that completed the acquisition, and subscribes to its result while
 * holding.</li>
 * <li><b>{@code CompletionStage}</b>: acquisition starts when the method is called. The body runs on the calling
 * thread if the lock was had at once, during the call; otherwise on {@link Schedulers#boundedElastic()}, never on
 * the store's event loop, since a body that returns a future may still block before it does. The returned
 * {@code CompletableFuture} completes as the body's does; cancelling it releases the lock (or abandons the wait)
 * and cancels the body's future.</li>
 * </ul>
 * A failure to acquire is the result's error ({@link LockAcquisitionException} naming the method) or the
 * fallback's result, never an exception thrown by the call.
 */
final class ReactiveLockedCalls {

    private final KeyExpressions keys;

    private final Supplier<ReactiveLockTemplate> lockTemplate;

    ReactiveLockedCalls(KeyExpressions keys, Supplier<ReactiveLockTemplate> lockTemplate) {
        this.keys = keys;
        this.lockTemplate = lockTemplate;
    }

    Object invoke(LockOperation operation, MethodInvocation invocation) {
        if (!(invocation instanceof ProxyMethodInvocation call)) {
            throw new IllegalStateException(LockOperationSource.ANNOTATION + " on " + operation.name()
                    + " needs a Spring AOP proxy to call the method once per subscription, but was intercepted by "
                    + invocation.getClass().getName());
        }
        boolean stage = operation.result().kind() == LockedResult.Kind.COMPLETION_STAGE;
        String key;
        ReactiveLockTemplate template;
        try {
            key = operation.prefix() + this.keys.evaluate(operation.key(), operation.keyText(), operation.method(),
                    call.getThis(), call.getArguments());
            template = this.lockTemplate.get();
        }
        catch (RuntimeException ex) {
            return stage ? CompletableFuture.failedFuture(ex) : failed(operation.result().adapter(), ex);
        }
        return stage ? completionStage(operation, call, template, key) : publisher(operation, call, template, key);
    }

    private static Object failed(ReactiveAdapter adapter, Throwable failure) {
        return adapter.fromPublisher(adapter.isMultiValue() ? Flux.error(failure) : Mono.error(failure));
    }

    private Object publisher(LockOperation operation, ProxyMethodInvocation invocation,
            ReactiveLockTemplate template, String key) {
        ReactiveAdapter adapter = operation.result().adapter();
        LockOptions options = operation.options(template.defaults());
        Function<Object, Publisher<?>> toPublisher = adapter::toPublisher;
        if (adapter.isMultiValue()) {
            return adapter.fromPublisher(Flux.defer(() -> {
                AtomicBoolean started = new AtomicBoolean();
                Flux<Object> body = Flux.defer(() -> {
                    started.set(true);
                    return TransactionalHold.untilCompletion(template, key, options)
                        .thenMany(Flux.defer(() -> Flux.from(result(invocation.invocableClone(), toPublisher))));
                });
                return template.execute(key, options, body)
                    .onErrorResume(ex -> acquisitionFailed(ex, started),
                            ex -> Flux.from(fallback(operation, invocation, ex, toPublisher)));
            }));
        }
        return adapter.fromPublisher(Mono.defer(() -> {
            AtomicBoolean started = new AtomicBoolean();
            Mono<Object> body = Mono.defer(() -> {
                started.set(true);
                return TransactionalHold.untilCompletion(template, key, options)
                    .then(Mono.defer(() -> Mono.from(result(invocation.invocableClone(), toPublisher))));
            });
            return template.execute(key, options, body)
                .onErrorResume(ex -> acquisitionFailed(ex, started),
                        ex -> Mono.from(fallback(operation, invocation, ex, toPublisher)));
        }));
    }

    private CompletableFuture<Object> completionStage(LockOperation operation, ProxyMethodInvocation invocation,
            ReactiveLockTemplate template, String key) {
        MethodInvocation call = invocation.invocableClone();
        Function<Object, Publisher<?>> toPublisher = ReactiveLockedCalls::fromStage;
        Thread caller = Thread.currentThread();
        AtomicBoolean inCall = new AtomicBoolean(true);
        AtomicBoolean started = new AtomicBoolean();
        Mono<Object> body = Mono.defer(() -> {
            started.set(true);
            return offEventLoop(caller, inCall, Mono.defer(() -> Mono.from(result(call, toPublisher))));
        });
        CompletableFuture<Object> future = template.execute(key, operation.options(template.defaults()), body)
            .onErrorResume(ex -> acquisitionFailed(ex, started), ex -> offEventLoop(caller, inCall,
                    Mono.defer(() -> Mono.from(fallback(operation, invocation, ex, toPublisher)))))
            .toFuture();
        inCall.set(false);
        return future;
    }

    /**
     * Runs {@code work} where it was subscribed if that is the calling thread during the call (the lock was had
     * at once), else on a thread that may block.
     */
    private static Mono<Object> offEventLoop(Thread caller, AtomicBoolean inCall, Mono<Object> work) {
        return Mono.defer(() -> (inCall.get() && Thread.currentThread() == caller) ? work
                : work.subscribeOn(Schedulers.boundedElastic()));
    }

    /** A failure of the acquisition itself, not of the guarded code (which may fail to lock something else). */
    private static boolean acquisitionFailed(Throwable failure, AtomicBoolean started) {
        return failure instanceof LockAcquisitionException && !started.get();
    }

    /** Invokes the rest of the advice chain and the method once, delivering what it throws as the error. */
    private static Publisher<?> result(MethodInvocation invocation, Function<Object, Publisher<?>> toPublisher) {
        try {
            Object result = invocation.proceed();
            return (result != null) ? toPublisher.apply(result) : Mono.empty();
        }
        catch (Throwable ex) {
            return Mono.error(ex);
        }
    }

    private static Publisher<?> fallback(LockOperation operation, MethodInvocation invocation, Throwable failure,
            Function<Object, Publisher<?>> toPublisher) {
        LockAcquisitionException named = ((LockAcquisitionException) failure).forMethod(operation.method());
        if (operation.fallback() == null) {
            return Mono.error(named);
        }
        try {
            Object result = operation.fallback().invoke(invocation.getThis(), invocation.getArguments(), named);
            return (result != null) ? toPublisher.apply(result) : Mono.empty();
        }
        catch (Throwable ex) {
            return Mono.error(ex);
        }
    }

    /** Cancelling the lock's subscription cancels a {@code CompletableFuture} body too. */
    private static Publisher<?> fromStage(Object stage) {
        return (stage instanceof CompletableFuture<?> future) ? Mono.fromFuture(future, false)
                : Mono.fromCompletionStage((CompletionStage<?>) stage);
    }
}
