package io.streamfleet.bench.driver;

import io.streamfleet.contracts.json.ContractMapper;
import tools.jackson.databind.JsonNode;

/**
 * Reads how many events of a request the gateway accepted: 2xx but 207 ⇒ all; 207 (mixed batch) ⇒ the entries of
 * the per-index result list that say accepted; anything else ⇒ none.
 */
public final class GatewayResponses {

    private GatewayResponses() {
    }

    public static SendResult read(int events, int status, String body) {
        if (status == 207) {
            return new SendResult(events, Math.min(events, acceptedIn(body)), "207");
        }
        return new SendResult(events, status >= 200 && status < 300 ? events : 0, Integer.toString(status));
    }

    static int acceptedIn(String body) {
        try {
            JsonNode root = ContractMapper.shared().readTree(body);
            JsonNode accepted = root.path("accepted");
            if (accepted.isNumber()) {
                return accepted.asInt();
            }
            JsonNode results = root.isArray() ? root : root.path("results");
            int count = 0;
            for (JsonNode entry : results) {
                if (isAccepted(entry)) {
                    count++;
                }
            }
            return count;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** One per-event entry (HTTP result list or WebSocket ack). */
    public static boolean isAccepted(JsonNode entry) {
        JsonNode status = entry.path("status");
        if (status.isString()) {
            String s = status.asString();
            return s.equalsIgnoreCase("accepted") || s.equalsIgnoreCase("ack") || s.equalsIgnoreCase("ok");
        }
        if (entry.path("accepted").isBoolean()) {
            return entry.path("accepted").asBoolean();
        }
        return !entry.has("errors") && !entry.has("error") && entry.path("status").asInt(0) / 100 == 2;
    }
}
