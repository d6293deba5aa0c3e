package io.streamfleet.bench.driver;

import java.util.List;

/**
 * Outcome of one request (a batch, a single event or one WebSocket event).
 *
 * @param events          events in the request
 * @param accepted        events the gateway acknowledged (after the Kafka ack)
 * @param outcome         {@code 202}, {@code 207}, {@code 429}, {@code 503-overloaded}, {@code ack}, {@code error:<reason>}, ...
 * @param acceptedIndexes positions in the request of the accepted events when only some were (a 207); null when
 *                        {@code accepted} is all or none of them
 * @param resend          the events the gateway asked to have sent again after a delay, or null
 */
public record SendResult(int events, int accepted, String outcome, List<Integer> acceptedIndexes, Resend resend) {

    public SendResult {
        acceptedIndexes = acceptedIndexes == null ? null : List.copyOf(acceptedIndexes);
    }

    public SendResult(int events, int accepted, String outcome) {
        this(events, accepted, outcome, null, null);
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
