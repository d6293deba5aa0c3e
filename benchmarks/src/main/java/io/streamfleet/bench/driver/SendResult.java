package io.streamfleet.bench.driver;

import java.util.List;
import java.util.Set;

/**
 * Outcome of one request (a batch, a single event or one WebSocket event).
 *
 * @param events          events in the request
 * @param accepted        events the gateway acknowledged (after the Kafka ack)
 * @param outcome         {@code 202}, {@code 207}, {@code 429}, {@code 503-overloaded}, {@code ack}, {@code error:<reason>}, ...
 * @param acceptedIndexes positions in the request of the accepted events when only some were (a 207); null when
 *                        {@code accepted} is all or none of them
 * @param resend          the events the gateway asked to have sent again after a delay, or null
 * @param wireMs          wall-clock time (epoch ms) at which the transport wrote the request to the wire (after any
 *                        wait for a free connection); {@link #WIRE_UNKNOWN} when the transport does not say (the
 *                        runner then takes the hand-over), {@link #NOT_SENT} when it never reached the wire
 */
public record SendResult(int events, int accepted, String outcome, List<Integer> acceptedIndexes, Resend resend,
                         long wireMs) {

    /** The transport does not know when the request reached the wire. */
    public static final long WIRE_UNKNOWN = -1;
    /** The request never reached the wire (it failed while waiting for a connection, or the socket was gone). */
    public static final long NOT_SENT = -2;

    /**
     * Refusal reasons the gateway gives only for events it never handed to Kafka (docs/ingest-gateway.md: Overload
     * and Resilience): admission refused them unsent, the rate limit, the in-flight cap, the open circuit. A
     * {@code timeout} or {@code broker_error} may have reached Kafka after all.
     */
    static final Set<String> UNSENT_REASONS = Set.of("overloaded", "rate_limited", "saturated", "circuit_open");

    public SendResult {
        acceptedIndexes = acceptedIndexes == null ? null : List.copyOf(acceptedIndexes);
    }

    public SendResult(int events, int accepted, String outcome, List<Integer> acceptedIndexes, Resend resend) {
        this(events, accepted, outcome, acceptedIndexes, resend, WIRE_UNKNOWN);
    }

    public SendResult(int events, int accepted, String outcome) {
        this(events, accepted, outcome, null, null);
    }

    /** The same answer, stamped with the time its request reached the wire. */
    public SendResult withWireMs(long newWireMs) {
        return new SendResult(events, accepted, outcome, acceptedIndexes, resend, newWireMs);
    }

    /**
     * Whether the event at this position may be in Kafka after this attempt: accepted, or failed in a way that does
     * not rule it out (a timeout, a broken connection after the write, a broker error). False only when the answer
     * says the gateway never handed it to Kafka (refused unsent, rejected as invalid) or it never reached the wire.
     * The late audit times an event by its first attempt that may have reached Kafka, so a copy that did is never
     * timed by a later resend.
     */
    public boolean mayHaveReachedKafka(int index) {
        if (accepted(index)) {
            return true;
        }
        if (wireMs == NOT_SENT) {
            return false;
        }
        if (resend != null && resend.indexes().contains(index)) {
            return !UNSENT_REASONS.contains(resend.reason());
        }
        // not accepted and not asked for again: rejected as invalid (4xx, a 207's rejected items, a WebSocket
        // rejection), refused unsent without a delay, or failed (which may have reached Kafka)
        return !(outcome.startsWith("4") || outcome.equals("207") || outcome.contains("overloaded")
                || outcome.startsWith("ws-rejected") || outcome.startsWith("ws-message-rejected"));
    }

    public int rejected() {
        return events - accepted;
    }

    /** Whether the event at this position of the request was accepted. */
    public boolean accepted(int index) {
        if (accepted == events) {
            return true;
        }
        return accepted > 0 && acceptedIndexes != null && acceptedIndexes.contains(index);
    }

    public static SendResult failed(int events, Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root != root.getCause()) {
            root = root.getCause();
        }
        return new SendResult(events, 0, "error:" + root.getClass().getSimpleName());
    }

    /**
     * The gateway's "send these again after a delay" (503 with {@code Retry-After}, the unavailable items of a 207,
     * a WebSocket ack with {@code retryAfterMs}, 429): nothing of an {@code overloaded} refusal reached Kafka, and an
     * event that did (a timeout) is dropped again by stream-processor's dedup, so resending is safe.
     *
     * @param indexes positions in the request of the events to send again
     * @param afterMs the delay the gateway gave
     * @param reason  why ({@code overloaded}, {@code timeout}, {@code circuit_open}, {@code rate_limited}, ...)
     */
    public record Resend(List<Integer> indexes, long afterMs, String reason) {

        public Resend {
            if (indexes.isEmpty()) {
                throw new IllegalArgumentException("a resend names at least one event");
            }
            if (afterMs < 0) {
                throw new IllegalArgumentException("a resend delay cannot be negative: " + afterMs);
            }
            indexes = List.copyOf(indexes);
        }

        /** Every event of a request of {@code events}. */
        public static Resend all(int events, long afterMs, String reason) {
            return new Resend(java.util.stream.IntStream.range(0, events).boxed().toList(), afterMs, reason);
        }
    }
}
