package io.streamfleet.bench.sse;

import tools.jackson.databind.JsonNode;

/**
 * One alert as it arrived on the SSE feed.
 *
 * @param sseId     the SSE event id
 * @param alertId   the alert's id
 * @param type      BURST_CREATE_MASS_CANCEL or ENGAGEMENT_DROP
 * @param key       {@code accountId|symbol} or {@code userId}
 * @param arrivalMs wall-clock time of arrival (epoch ms)
 * @param body      the alert JSON
 */
public record ReceivedAlert(String sseId, String alertId, String type, String key, long arrivalMs, JsonNode body) {

    /** Reads an alert from an SSE data payload, or null if it is not an alert (heartbeats, notices). */
    public static ReceivedAlert from(String sseId, String data, long arrivalMs) {
        JsonNode root;
        try {
            root = io.streamfleet.contracts.json.ContractMapper.shared().readTree(data);
        } catch (RuntimeException e) {
            return null;
        }
        JsonNode alert = root.has("alertId") ? root : root.path("alert");
        String alertId = alert.path("alertId").asString("");
        if (alertId.isEmpty()) {
            return null;
        }
        String type = alert.path("type").asString("");
        String key = alert.has("userId") ? alert.path("userId").asString("")
                : alert.path("accountId").asString("") + "|" + alert.path("symbol").asString("");
        return new ReceivedAlert(sseId, alertId, type, key, arrivalMs, alert);
    }
}
