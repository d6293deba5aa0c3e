package io.streamfleet.bench.driver;

import io.streamfleet.bench.scenario.BenchEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Sends a scenario through a transport.
 * <ul>
 * <li><b>Open loop</b>: each request leaves at its intended time (the send time of its last event) whatever
 * happened to earlier ones, and its latency is measured from that intended time, so when the gateway falls behind
 * the queueing shows in the latency instead of being hidden by a slower send rate (coordinated omission). The
 * number of requests in flight is capped; waiting for the cap also counts as latency. The schedule is kept by an
 * {@link OpenLoopPacer} on the HTTP client's own event loop: a sender thread of its own that parked until each
 * request's time and handed it over cost as much CPU per request as the gateway it measured.</li>
 * <li><b>Closed loop</b>: a fixed number of requests in flight, the next one sent when one completes, as fast as the
 * gateway answers; latency from the actual send. This measures the maximum throughput.</li>
 * </ul>
 * In open loop the runner answers the gateway's refusals as a client should (docs/ingest-gateway.md, Overload): the
 * events an answer asks for again ({@link SendResult.Resend}: 503 {@code overloaded} or 429 with {@code Retry-After},
 * the unavailable items of a 207, WebSocket acks with {@code retryAfterMs}) are sent again, with the same event ids,
 * after the delay the gateway gave, up to {@code maxResends} times; then they are given up. The request keeps its
 * in-flight slot while it waits, as a client's pending send does, and its latency runs to its last answer. The closed
 * loop does not resend: it measures how fast the gateway answers, and counts the events it asked for again as given
 * up.
 */
public final class LoadRunner {

    private final Transport transport;
    private final LoadStats stats;
    private final Semaphore slots;
    private final int maxInFlight;
    private final LongSupplier clock;
    private final int maxResends;
    /** Where resends wait for their delay: the open loop's pacing thread; set by {@link #pacer}. */
    private volatile OpenLoopPacer.Scheduler resendScheduler;
    /**
     * Position in the event stream of the next event drawn: the pacer (one thread) and the closed loop's chains (under
     * the iterator's lock) draw events in stream order, so each event's position is its index in the scenario.
     */
    private int nextSeq;

    /** Resends per event when the caller does not say. */
    public static final int DEFAULT_RESENDS = 3;

    public LoadRunner(Transport transport, LoadStats stats, int maxInFlight) {
        this(transport, stats, maxInFlight, DEFAULT_RESENDS);
    }

    /** @param maxResends how often an event the gateway refused is sent again (open loop); 0: never */
    public LoadRunner(Transport transport, LoadStats stats, int maxInFlight, int maxResends) {
        this(transport, stats, maxInFlight, maxResends, System::nanoTime);
    }

    /** With a clock of the caller's (tests of the latency accounting). */
    LoadRunner(Transport transport, LoadStats stats, int maxInFlight, LongSupplier clock) {
        this(transport, stats, maxInFlight, DEFAULT_RESENDS, clock);
    }

    LoadRunner(Transport transport, LoadStats stats, int maxInFlight, int maxResends, LongSupplier clock) {
        if (maxResends < 0) {
            throw new IllegalArgumentException("resends must be >= 0 (0 turns them off), was " + maxResends);
        }
        this.clock = clock;
        this.transport = transport;
        this.stats = stats;
        this.maxInFlight = maxInFlight;
        this.maxResends = maxResends;
        this.slots = new Semaphore(maxInFlight);
    }

    /**
     * Runs until the events are exhausted or {@code stop} says so; then waits for outstanding requests. The schedule
     * runs on the transport's pacing thread ({@link Transport#pacingLoop()}: the HTTP client's event loop, so a send
     * is a call on the thread that writes it, with no hand-over), or on a scheduler thread of its own.
     */
    public void openLoop(Iterator<BenchEvent> events, long startNanos, BooleanSupplier stop, Duration drainTimeout) {
        ScheduledExecutorService own = null;
        ScheduledExecutorService loop = transport.pacingLoop().orElse(null);
        if (loop == null) {
            own = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fleet-bench-pacer");
                t.setDaemon(true);
                return t;
            });
            loop = own;
        }
        ScheduledExecutorService on = loop;
        OpenLoopPacer pacer = pacer(events, startNanos, stop,
                (task, delayNanos) -> on.schedule(task, delayNanos, TimeUnit.NANOSECONDS));
        try {
            on.execute(pacer);
            pacer.finished().await();
            // resends are scheduled on the same thread: it must outlive the outstanding requests
            awaitOutstanding(drainTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the open loop was sending", e);
        } finally {
            if (own != null) {
                own.shutdown();
            }
        }
    }

    /**
     * Sends back to back with {@code maxInFlight} outstanding requests until exhausted, stopped or out of time. Each
     * of the {@code maxInFlight} chains sends its next request from the completion of its previous one, on the
     * transport's own thread, as {@code wrk} does: no hand-off to a sender thread per request, which would make the
     * load generator, not the server, the limit.
     */
    public void closedLoop(Iterator<BenchEvent> events, BooleanSupplier stop, Duration drainTimeout) {
        for (int i = 0; i < maxInFlight; i++) {
            acquire();
            if (!sendNextInChain(events, stop)) {
                break;
            }
        }
        awaitOutstanding(drainTimeout);
    }

    /** Sends the next batch of a chain, whose slot is held; false (slot released) when the run is over. */
    private boolean sendNextInChain(Iterator<BenchEvent> events, BooleanSupplier stop) {
        List<BenchEvent> batch;
        int[] seqs;
        synchronized (events) {
            batch = stop.getAsBoolean() || !events.hasNext() ? List.of() : nextBatch(events);
            seqs = seqs(batch.size());
        }
        if (batch.isEmpty()) {
            slots.release();
            return false;
        }
        long sent = System.nanoTime();
        stats.sending(batch, sent);
        long handedMs = System.currentTimeMillis();
        transport.send(batch).whenComplete((result, error) -> {
            SendResult outcome = error != null ? SendResult.failed(batch.size(), error) : result;
            stats.attempt(batch, seqs, outcome, wireMs(outcome, handedMs), true);
            stats.completed(batch, outcome, System.nanoTime() - sent);
            if (outcome.resend() != null) {
                stats.gaveUp(outcome.resend().indexes().stream().map(batch::get).toList());
            }
            int depth = chainDepth.get();
            if (depth >= MAX_CHAIN_DEPTH) {
                // answers that come back at once (a failing transport) would otherwise nest without bound
                CompletableFuture.runAsync(() -> sendNextInChain(events, stop));
                return;
            }
            chainDepth.set(depth + 1);
            try {
                sendNextInChain(events, stop);
            } finally {
                chainDepth.set(depth);
            }
        });
        return true;
    }

    private static final int MAX_CHAIN_DEPTH = 32;
    private static final ThreadLocal<Integer> chainDepth = ThreadLocal.withInitial(() -> 0);

    /** The next {@code n} stream positions. */
    private synchronized int[] seqs(int n) {
        int[] seqs = new int[n];
        for (int i = 0; i < n; i++) {
            seqs[i] = nextSeq++;
        }
        return seqs;
    }

    /** When the attempt reached the wire: as the transport says, else when the runner handed it over. */
    private static long wireMs(SendResult result, long handedMs) {
        return result.wireMs() == SendResult.WIRE_UNKNOWN ? handedMs : result.wireMs();
    }

    private List<BenchEvent> nextBatch(Iterator<BenchEvent> events) {
        int size = transport.batchSize();
        List<BenchEvent> batch = new ArrayList<>(size);
        while (batch.size() < size && events.hasNext()) {
            batch.add(events.next());
        }
        return batch;
    }

    /** The open loop's schedule on the given scheduler, sending through this runner's transport and stats. */
    OpenLoopPacer pacer(Iterator<BenchEvent> events, long startNanos, BooleanSupplier stop,
                        OpenLoopPacer.Scheduler scheduler) {
        this.resendScheduler = scheduler;
        return new OpenLoopPacer(events, transport.batchSize(), startNanos, stop, slots, this::send, scheduler, clock);
    }

    /**
     * Hands one request to the transport; its latency counts from {@code intendedNanos}, its service time from the
     * moment the transport returns (after it built the body, so a batch's serialisation counts as the driver's lag,
     * as wrk builds its body before its clock starts).
     */
    private void send(List<BenchEvent> batch, long intendedNanos, long pacedNanos) {
        int[] seqs = seqs(batch.size());
        stats.sending(batch, pacedNanos);
        long handedMs = System.currentTimeMillis();
        CompletableFuture<SendResult> answer = transport.send(batch);
        long lagNanos = clock.getAsLong() - intendedNanos;
        answer.whenComplete((result, error) -> answered(batch, seqs, outcome(batch, result, error), 0, intendedNanos,
                lagNanos, handedMs));
    }

    /**
     * One answer to a request's {@code resends}-th resend (0: its first send): the events it asks for again wait for
     * the given delay on the pacing thread, still holding the request's slot; otherwise the request is over.
     */
    private void answered(List<BenchEvent> events, int[] seqs, SendResult result, int resends, long intendedNanos,
                          long lagNanos, long handedMs) {
        stats.attempt(events, seqs, result, wireMs(result, handedMs), resends == 0);
        stats.answered(events, result, resends > 0);
        SendResult.Resend resend = result.resend();
        if (resend != null) {
            List<BenchEvent> again = resend.indexes().stream().map(events::get).toList();
            int[] againSeqs = resend.indexes().stream().mapToInt(i -> seqs[i]).toArray();
            OpenLoopPacer.Scheduler scheduler = resendScheduler;
            if (resends < maxResends && scheduler != null) {
                try {
                    scheduler.schedule(() -> resend(again, againSeqs, resends + 1, intendedNanos, lagNanos),
                            TimeUnit.MILLISECONDS.toNanos(resend.afterMs()));
                    return;
                } catch (RejectedExecutionException e) {
                    // the run is over (its drain timed out and the pacing thread stopped): nothing can be resent
                }
            }
            stats.gaveUp(again);
        }
        stats.finished(clock.getAsLong() - intendedNanos, lagNanos);
        slots.release();
    }

    private void resend(List<BenchEvent> events, int[] seqs, int resends, long intendedNanos, long lagNanos) {
        stats.resending(events.size());
        long handedMs = System.currentTimeMillis();
        CompletableFuture<SendResult> answer;
        try {
            answer = transport.send(events);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((result, error) -> answered(events, seqs, outcome(events, result, error), resends,
                intendedNanos, lagNanos, handedMs));
    }

    private static SendResult outcome(List<BenchEvent> events, SendResult result, Throwable error) {
        return error != null ? SendResult.failed(events.size(), error) : result;
    }

    private void acquire() {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a free request slot", e);
        }
    }

    private void awaitOutstanding(Duration timeout) {
        try {
            if (slots.tryAcquire(maxInFlight, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                slots.release(maxInFlight);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
