package io.streamfleet.bench.driver;

import io.streamfleet.bench.scenario.BenchEvent;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the drivers observe, safe to update from any thread: event and request counts by outcome, request latency
 * (microseconds, HdrHistogram, 3 significant digits), and when each labelled event was acknowledged. In open loop the
 * latency (from the intended send time) is also split into the driver's own lag (intended time to the hand-over to
 * the transport) and the service time (hand-over to answer), so a late driver is not mistaken for a slow server.
 * A request the gateway asked to have (partly) sent again is one request: its latency runs from its intended send time
 * to the last answer, waits for {@code Retry-After} included, as its sender experiences it; every answer counts in the
 * outcomes, and the refusals, resends and events given up are counted apart ({@link #retries()}).
 */
public final class LoadStats {

    /** Longest latency the histograms track: 10 minutes. */
    public static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final LongAdder sentEvents = new LongAdder();
    private final LongAdder acceptedEvents = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Recorder latency = new Recorder(MAX_LATENCY_MICROS, 3);
    private final Recorder sendLag = new Recorder(MAX_LATENCY_MICROS, 3);
    private final Recorder serviceTime = new Recorder(MAX_LATENCY_MICROS, 3);
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<String, Long> labelledAckMs = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong firstSendNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastCompletionNanos = new AtomicLong();
    private final LongAdder refusals = new LongAdder();
    private final Map<String, LongAdder> refusedEvents = new ConcurrentHashMap<>();
    private final LongAdder resentEvents = new LongAdder();
    private final LongAdder acceptedOnRetry = new LongAdder();
    private final LongAdder givenUp = new LongAdder();
    private final Set<String> labelledAcceptedOnRetry = ConcurrentHashMap.newKeySet();
    /** Events the gateway did not accept in the end (no resend asked, or given up): few unless it is overloaded. */
    private final Set<String> notAcceptedIds = ConcurrentHashMap.newKeySet();
    /** When each event reached the wire (null: not kept, as for the gateway-only {@code ingest} command). */
    private final SendLog sendLog;

    public LoadStats() {
        this(null);
    }

    /** @param sendLog where each attempt's wire time goes, for the late audit and the driver's backlog; or null */
    public LoadStats(SendLog sendLog) {
        this.sendLog = sendLog;
    }

    /** The wire times of the run's events, or null when not kept. */
    public SendLog sendLog() {
        return sendLog;
    }

    /** One attempt reached the wire at {@code wireMs} (or never did) and was answered with {@code result}. */
    void attempt(List<BenchEvent> events, int[] seqs, SendResult result, long wireMs, boolean firstAttempt) {
        if (sendLog != null && seqs != null) {
            sendLog.attempt(events, seqs, result, wireMs, firstAttempt);
        }
    }

    /**
     * What the gateway asked to have sent again and what became of it.
     *
     * @param refusals        answers that asked for events again after a delay (503/429 with Retry-After, the
     *                        unavailable items of a 207, WebSocket acks with retryAfterMs)
     * @param refusedEvents   events those answers covered, by reason ({@code overloaded}, {@code timeout}, ...),
     *                        counted at every refusal (an event refused twice counts twice)
     * @param resentEvents    events sent again after the delay
     * @param acceptedOnRetry events accepted on a resend (also in the accepted events)
     * @param givenUp         events refused on their last allowed attempt (or with retries off): not accepted
     */
    public record Retries(long refusals, Map<String, Long> refusedEvents, long resentEvents, long acceptedOnRetry,
                          long givenUp) {

        public Retries {
            refusedEvents = Map.copyOf(refusedEvents);
        }
    }

    void sending(List<BenchEvent> batch, long nowNanos) {
        sentEvents.add(batch.size());
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        firstSendNanos.accumulateAndGet(nowNanos, Math::min);
    }

    void completed(List<BenchEvent> batch, SendResult result, long latencyNanos) {
        completed(batch, result, latencyNanos, 0);
    }

    /** @param lagNanos how late the driver handed the request to the transport (open loop; 0 in closed loop) */
    void completed(List<BenchEvent> batch, SendResult result, long latencyNanos, long lagNanos) {
        answered(batch, result, false);
        finished(latencyNanos, lagNanos);
    }

    /**
     * One answer from the gateway (a first send or a resend): its outcome, and the events it accepted with the time
     * they were accepted, so an event accepted on a resend carries its real acceptance time.
     */
    void answered(List<BenchEvent> batch, SendResult result, boolean resend) {
        lastCompletionNanos.accumulateAndGet(System.nanoTime(), Math::max);
        acceptedEvents.add(result.accepted());
        outcomes.computeIfAbsent(result.outcome(), k -> new LongAdder()).increment();
        if (resend) {
            acceptedOnRetry.add(result.accepted());
        }
        if (result.accepted() > 0) {
            long ackMs = System.currentTimeMillis();
            for (int i = 0; i < batch.size(); i++) {
                BenchEvent e = batch.get(i);
                if (e.labelId() != null && result.accepted(i)) {
                    labelledAckMs.putIfAbsent(e.eventId(), ackMs);
                    if (resend) {
                        labelledAcceptedOnRetry.add(e.eventId());
                    }
                }
            }
        }
        Set<Integer> resent = result.resend() == null ? Set.of() : Set.copyOf(result.resend().indexes());
        if (result.accepted() < batch.size()) {
            for (int i = 0; i < batch.size(); i++) {
                if (!result.accepted(i) && !resent.contains(i)) {
                    notAcceptedIds.add(batch.get(i).eventId());
                }
            }
        }
        if (result.resend() != null) {
            refusals.increment();
            refusedEvents.computeIfAbsent(result.resend().reason(), k -> new LongAdder())
                    .add(result.resend().indexes().size());
        }
    }

    void resending(int events) {
        resentEvents.add(events);
    }

    void gaveUp(List<BenchEvent> events) {
        givenUp.add(events.size());
        events.forEach(e -> notAcceptedIds.add(e.eventId()));
    }

    /** Ids of the events the gateway did not accept in the end. */
    public Set<String> notAcceptedIds() {
        return Set.copyOf(notAcceptedIds);
    }

    /** A request is over (accepted, failed or given up): its latency counts from its intended send time. */
    void finished(long latencyNanos, long lagNanos) {
        requests.increment();
        latency.recordValue(micros(latencyNanos));
        sendLag.recordValue(micros(lagNanos));
        serviceTime.recordValue(micros(latencyNanos - lagNanos));
        inFlight.decrementAndGet();
    }

    private static long micros(long nanos) {
        return Math.min(MAX_LATENCY_MICROS, Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
    }

    /** Latencies recorded since the previous call (the caller keeps the running total). */
    public Histogram intervalLatency() {
        return latency.getIntervalHistogram();
    }

    /** The driver's lag behind the intended send times since the previous call (all 0 in closed loop). */
    public Histogram intervalSendLag() {
        return sendLag.getIntervalHistogram();
    }

    /** Hand-over to the transport → answer, since the previous call: the latency without the driver's own lag. */
    public Histogram intervalServiceTime() {
        return serviceTime.getIntervalHistogram();
    }

    /** Most requests in flight at once so far; above the connection count, requests waited for a connection. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    public long sentEvents() {
        return sentEvents.sum();
    }

    public long acceptedEvents() {
        return acceptedEvents.sum();
    }

    public long requests() {
        return requests.sum();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public Map<String, Long> outcomes() {
        Map<String, Long> copy = new TreeMap<>();
        outcomes.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    public Retries retries() {
        Map<String, Long> refused = new TreeMap<>();
        refusedEvents.forEach((k, v) -> refused.put(k, v.sum()));
        return new Retries(refusals.sum(), refused, resentEvents.sum(), acceptedOnRetry.sum(), givenUp.sum());
    }

    /** Labelled events the gateway accepted on a resend, not on their first send. */
    public Set<String> labelledAcceptedOnRetry() {
        return Set.copyOf(labelledAcceptedOnRetry);
    }

    /** Wall-clock time (epoch ms) at which each labelled event was first acknowledged. */
    public Map<String, Long> labelledAckMs() {
        return Map.copyOf(labelledAckMs);
    }

    /** Nanoseconds from the first send to the last completion, or 0 before any completion. */
    public long activeNanos() {
        long first = firstSendNanos.get();
        long last = lastCompletionNanos.get();
        return first == Long.MAX_VALUE || last < first ? 0 : last - first;
    }
}
