package io.streamfleet.gateway.intake;

import java.nio.charset.StandardCharsets;

/** Event JSON for tests. */
public final class Bodies {

    public static final long NOW = 1_750_000_000_000L;

    private Bodies() {
    }

    public static String order(String eventId) {
        return order(eventId, "acc-1", "AAPL", NOW);
    }

    public static String order(String eventId, String accountId, String symbol, long eventTimeMs) {
        return "{\"kind\":\"order\",\"eventId\":\"" + eventId + "\",\"accountId\":\"" + accountId
                + "\",\"symbol\":\"" + symbol + "\",\"eventType\":\"CREATED\",\"price\":187.42,\"qty\":100,"
                + "\"eventTimeMs\":" + eventTimeMs + "}";
    }

    public static String engagement(String eventId, String userId) {
        return "{\"kind\":\"engagement\",\"eventId\":\"" + eventId + "\",\"userId\":\"" + userId
                + "\",\"contentId\":\"c-1\",\"eventType\":\"view_end\",\"eventTimeMs\":" + NOW
                + ",\"dwellMs\":1200,\"completed\":true}";
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
