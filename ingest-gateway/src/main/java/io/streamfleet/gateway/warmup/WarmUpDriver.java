package io.streamfleet.gateway.warmup;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * Runs warm-up steps {@link WarmUpBudget#concurrency()} at a time until the request or the time budget is used up.
 * A step is one request end to end; it reports whether it went as expected and never fails the run (an error counts
 * as a failed step). Once the time is up no new step starts; steps already running get {@link #GRACE} to finish and
 * are cancelled after it, so the run never holds readiness back by much more than its time budget.
 */
public final class WarmUpDriver {

    /** How long steps still in flight at the deadline may take to finish. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private final LongSupplier nanoTime;

    public WarmUpDriver(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    public WarmUpResult run(WarmUpBudget budget, IntFunction<Mono<Boolean>> step) {
        long started = nanoTime.getAsLong();
        long deadline = started + budget.maxTime().toNanos();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        Flux.range(0, budget.requests())
                // the deadline is checked as each step is about to start, so none starts after it
                .takeWhile(i -> nanoTime.getAsLong() < deadline)
                .flatMap(i -> Mono.defer(() -> step.apply(next.getAndIncrement()))
                        .onErrorReturn(false)
                        .defaultIfEmpty(false)
                        .doOnNext(good -> {
                            sent.incrementAndGet();
                            if (good) {
                                ok.incrementAndGet();
                            }
                        }), budget.concurrency())
                .then()
                .timeout(budget.maxTime().plus(GRACE), Mono.empty())
                .block();
        Duration took = Duration.ofNanos(nanoTime.getAsLong() - started);
        WarmUpResult.Stop stop = sent.get() >= budget.requests() ? WarmUpResult.Stop.REQUESTS : WarmUpResult.Stop.TIME;
        return new WarmUpResult(sent.get(), ok.get(), took, stop);
    }
}
