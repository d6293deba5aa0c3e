package io.streamfleet.bench.driver;

import io.streamfleet.bench.late.ClientLateness;
import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.EventTag;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * When each event of a run actually reached the wire, so the late audit can tell events the driver sent beyond their
 * lateness bound from on-time events the fleet diverted ({@link ClientLateness}), and the driver's own backlog against
 * its schedule can be reported.
 *
 * <p>Events are known by their sequence number: their position in the scenario's event stream as the runner drew them
 * (the stream is deterministic, so the audit maps a position back to its event by iterating the scenario again). Per
 * position the log keeps one time, the <em>counting send</em>: the wire time of the first attempt whose answer does not
 * rule out that the event reached Kafka ({@link SendResult#mayHaveReachedKafka}). An attempt the gateway refused unsent
 * ({@code overloaded}, {@code rate_limited}, ...) does not count, so an event accepted on a resend is timed by that
 * resend; one whose first attempt timed out (and may be in Kafka) stays timed by that first attempt, never by a later
 * resend. A position no attempt of which may have reached Kafka has no counting send.
 *
 * <p>The backlog is measured on first attempts only (a resend waits for the gateway's {@code Retry-After} on purpose):
 * each event's wire time against its scheduled send time ({@code runStart + sendOffset}).
 */
public final class SendLog {

    /** Positions without a counting send. */
    public static final long NONE = ClientLateness.NO_SEND;

    private static final int CHUNK_BITS = 16;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private static final int UNSET = Integer.MIN_VALUE;

    private final ClientLateness rule;
    private final List<int[]> sentOffsets = new ArrayList<>();
    private final Histogram delayMicros = new Histogram(LoadStats.MAX_LATENCY_MICROS, 3);
    private long firstAttempts;
    private long notOnWire;
    private long ordersBehindBound;
    private long engagementBehindBound;
    private long ordersLateByClient;
    private long engagementLateByClient;
    private long maxBehindMs = Long.MIN_VALUE;

    public SendLog(ClientLateness rule) {
        this.rule = rule;
    }

    public ClientLateness rule() {
        return rule;
    }

    /**
     * One attempt's answer.
     *
     * @param events       the events of the attempt
     * @param seqs         their positions in the event stream, index by index
     * @param result       the answer
     * @param wireMs       wall-clock ms the attempt reached the wire, or {@link SendResult#NOT_SENT}
     * @param firstAttempt whether this was the events' first send (not a resend)
     */
    public synchronized void attempt(List<BenchEvent> events, int[] seqs, SendResult result, long wireMs,
                                     boolean firstAttempt) {
        for (int i = 0; i < events.size(); i++) {
            BenchEvent e = events.get(i);
            if (firstAttempt) {
                if (wireMs == SendResult.NOT_SENT) {
                    notOnWire++;
                } else {
                    long behindMs = wireMs - scheduledMs(e);
                    firstAttempts++;
                    delayMicros.recordValue(Math.min(LoadStats.MAX_LATENCY_MICROS,
                            Math.max(0, TimeUnit.MILLISECONDS.toMicros(behindMs))));
                    maxBehindMs = Math.max(maxBehindMs, behindMs);
                    if (behindMs > rule.wallBoundMs(e)) {
                        if (e.isOrder()) {
                            ordersBehindBound++;
                        } else {
                            engagementBehindBound++;
                        }
                    }
                }
            }
            if (wireMs != SendResult.NOT_SENT && result.mayHaveReachedKafka(i) && offset(seqs[i]) == UNSET) {
                setOffset(seqs[i], wireMs);
                // made late by the driver's delay: beyond the bound when sent, not already when scheduled (the
                // scenario's intended late events and their duplicates are late by design)
                if (e.tag() != EventTag.LATE && rule.lateByClient(e, wireMs) && !rule.lateByClient(e, scheduledMs(e))) {
                    if (e.isOrder()) {
                        ordersLateByClient++;
                    } else {
                        engagementLateByClient++;
                    }
                }
            }
        }
    }

    /** The counting send of the event at this position (wall-clock ms), or {@link #NONE}. */
    public synchronized long sentMs(int seq) {
        int offset = offset(seq);
        return offset == UNSET ? NONE : rule.runStartMs() + offset;
    }

    /**
     * Which of {@code ids} no attempt may have brought to Kafka, over all their copies in {@code stream} (the run's
     * events in send order): refused unsent every time, or never on the wire. No stage can have seen them.
     */
    public synchronized Set<String> neverReachedKafka(Iterable<BenchEvent> stream, Set<String> ids) {
        Set<String> reached = new HashSet<>();
        int seq = 0;
        for (BenchEvent e : stream) {
            int position = seq++;
            if (ids.contains(e.eventId()) && offset(position) != UNSET) {
                reached.add(e.eventId());
            }
        }
        Set<String> never = new HashSet<>(ids);
        never.removeAll(reached);
        return never;
    }

    /** What the log saw of the driver's backlog so far. */
    public synchronized Backlog backlog() {
        return new Backlog(firstAttempts, notOnWire, delayMicros.copy(), maxBehindMs == Long.MIN_VALUE ? 0
                : maxBehindMs, ordersBehindBound, engagementBehindBound, ordersLateByClient, engagementLateByClient);
    }

    /**
     * The driver's backlog.
     *
     * @param events                events whose first attempt reached the wire
     * @param notOnWire             events whose first attempt never reached it (failed waiting for a connection)
     * @param delayMicros           wire time − scheduled send time per event (µs, negative counted as 0)
     * @param maxBehindMs           the largest of those delays, ms
     * @param ordersBehindBound     orders that reached the wire more than the orders lateness behind their schedule
     * @param engagementBehindBound engagement events more than their lateness (in wall time) behind their schedule
     * @param ordersLateByClient    orders whose counting send was late by the client though their scheduled send
     *                               was not: the driver's delay made them late (intended late events and their
     *                               duplicates are late by design and not counted)
     * @param engagementLateByClient engagement events likewise
     */
    public record Backlog(long events, long notOnWire, Histogram delayMicros, long maxBehindMs, long ordersBehindBound,
                          long engagementBehindBound, long ordersLateByClient, long engagementLateByClient) {
    }

    private long scheduledMs(BenchEvent e) {
        return rule.runStartMs() + TimeUnit.NANOSECONDS.toMillis(e.sendOffsetNanos());
    }

    private int offset(int seq) {
        int chunk = seq >>> CHUNK_BITS;
        return chunk < sentOffsets.size() ? sentOffsets.get(chunk)[seq & (CHUNK - 1)] : UNSET;
    }

    private void setOffset(int seq, long wireMs) {
        int chunk = seq >>> CHUNK_BITS;
        while (sentOffsets.size() <= chunk) {
            int[] fresh = new int[CHUNK];
            java.util.Arrays.fill(fresh, UNSET);
            sentOffsets.add(fresh);
        }
        long offset = wireMs - rule.runStartMs();
        // a time before the run start (a clock step) is kept as the earliest representable offset, never dropped
        sentOffsets.get(chunk)[seq & (CHUNK - 1)] = (int) Math.max(UNSET + 1L, Math.min(Integer.MAX_VALUE, offset));
    }
}
