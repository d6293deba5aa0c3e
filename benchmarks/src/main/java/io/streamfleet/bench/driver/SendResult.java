package io.streamfleet.bench.driver;

/**
 * Outcome of one request (a batch, a single event or one WebSocket event).
 *
 * @param events   events in the request
 * @param accepted events the gateway acknowledged (after the Kafka ack)
 * @param outcome  {@code 202}, {@code 207}, {@code 429}, {@code ack}, {@code error:<reason>}, ...
 */
public record SendResult(int events, int accepted, String outcome) {

    public int rejected() {
        return events - accepted;
    }

    public static SendResult failed(int events, Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root != root.getCause()) {
            root = root.getCause();
        }
        return new SendResult(events, 0, "error:" + root.getClass().getSimpleName());
    }
}
