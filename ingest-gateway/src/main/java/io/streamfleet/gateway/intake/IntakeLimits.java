package io.streamfleet.gateway.intake;

/**
 * The bounds every request must respect, so that no input can make the gateway use unbounded memory or CPU.
 *
 * @param maxBodyBytes     largest request body (or WebSocket frame) in bytes
 * @param maxBatchEvents   most events in one request or frame
 * @param maxJsonDepth     deepest JSON nesting (an array of events is depth 2)
 * @param maxStringLength  longest JSON string value, in characters (the field limits of docs/contracts.md are
 *                         stricter)
 * @param maxFutureSkewMs  how far in the future an event's {@code eventTimeMs} may lie
 */
public record IntakeLimits(int maxBodyBytes, int maxBatchEvents, int maxJsonDepth, int maxStringLength,
                           long maxFutureSkewMs) {

    public IntakeLimits {
        require(maxBodyBytes > 0, "maxBodyBytes must be > 0");
        require(maxBatchEvents > 0, "maxBatchEvents must be > 0");
        require(maxJsonDepth >= 2, "maxJsonDepth must be >= 2 (an array of event objects)");
        require(maxStringLength > 0, "maxStringLength must be > 0");
        require(maxFutureSkewMs >= 0, "maxFutureSkewMs must be >= 0");
    }

    public static IntakeLimits defaults() {
        return new IntakeLimits(1024 * 1024, 1000, 8, 4096, 5 * 60_000L);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
