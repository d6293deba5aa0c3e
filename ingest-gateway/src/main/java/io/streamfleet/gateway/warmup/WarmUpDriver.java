package io.streamfleet.gateway.warmup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * Runs warm-up steps {@link WarmUpBudget#concurrency()} at a time until the request or the time budget is used up, or,
 * with a {@link SettleRule}, until the warm-up settled (its own rate stopped rising and the JIT went quiet), whichever
 * comes first. A step is one request end to end; it reports whether it went as expected and never fails the run (an
 * error counts as a failed step). Once the run is over no new step starts; steps already running get {@link #GRACE}
 * past the time budget to finish and are cancelled after it, so the run never holds readiness back by much more than
 * its time budget.
 */
public final class WarmUpDriver {

    private static final Logger log = LoggerFactory.getLogger(WarmUpDriver.class);

    /** How long steps still in flight at the deadline may take to finish. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private final LongSupplier nanoTime;

    public WarmUpDriver(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** For the whole time budget (or the request budget), whatever the evidence. */
    public WarmUpResult run(WarmUpBudget budget, IntFunction<Mono<Boolean>> step) {
        return run(budget, null, JvmEvidence.UNMEASURED, step);
    }

    /**
     * @param settle   when it may end before the budgets; null: only at a budget
     * @param evidence the JIT's compile time and the JVM threads' CPU time, read as windows close
     */
    public WarmUpResult run(WarmUpBudget budget, SettleRule settle, JvmEvidence evidence,
                            IntFunction<Mono<Boolean>> step) {
        long started = nanoTime.getAsLong();
        long deadline = started + budget.maxTime().toNanos();
        Settling settling = settle == null ? null : settle.start(started);
        if (settling != null) {
            settling.observe(started, 0, evidence.compileMillis(), evidence.threadCpuNanos());
        }
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        Flux.range(0, budget.requests())
                // checked as each step is about to start, so none starts after the deadline or once settled
                .takeWhile(i -> {
                    long now = nanoTime.getAsLong();
                    return now < deadline && (settling == null || !observe(settling, now, started, sent.get(),
                            evidence));
                })
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
        boolean settled = settling != null && settling.settled();
        if (settling != null && !settled) {
            // a window that closed since the last step started is judged too, so the reported rate is current
            observe(settling, nanoTime.getAsLong(), started, sent.get(), evidence);
        }
        Duration took = Duration.ofNanos(nanoTime.getAsLong() - started);
        WarmUpResult.Stop stop = settled ? WarmUpResult.Stop.SETTLED
                : sent.get() >= budget.requests() ? WarmUpResult.Stop.REQUESTS : WarmUpResult.Stop.TIME;
        return new WarmUpResult(sent.get(), ok.get(), took, stop,
                settling == null ? Double.NaN : settling.rate(),
                settling == null ? Double.NaN : settling.jitBusyPercent(),
                settling == null ? Double.NaN : settling.cost() / 1000);
    }

    /**
     * Feeds the judge; a window that closed is logged at DEBUG (the warm-up's curve). The evidence is read only when a
     * window may close: summing the threads' CPU times costs some microseconds per thread.
     */
    private static boolean observe(Settling settling, long now, long started, int finished, JvmEvidence evidence) {
        if (!settling.windowMayClose(now)) {
            return settling.settled();
        }
        int before = settling.windowsClosed();
        boolean settled = settling.observe(now, finished, evidence.compileMillis(), evidence.threadCpuNanos());
        if (log.isDebugEnabled() && settling.windowsClosed() != before) {
            log.debug("self-warm-up at {} ms: {} requests finished, {} req/s over the last windows (before them {}), "
                            + "JIT busy {} %, CPU per request {} µs (before them {}), settled {}",
                    (now - started) / 1_000_000, finished, rounded(settling.rate()), rounded(settling.earlierRate()),
                    rounded(settling.jitBusyPercent()), rounded(settling.cost() / 1000),
                    rounded(settling.earlierCost() / 1000), settled);
        }
        return settled;
    }

    /** A figure for the log: "n/a" where it is not known yet (Math.round would say 0). */
    private static Object rounded(double value) {
        return Double.isNaN(value) ? "n/a" : Math.round(value);
    }
}
