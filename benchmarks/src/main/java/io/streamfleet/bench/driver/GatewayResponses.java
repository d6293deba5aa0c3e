package io.streamfleet.bench.driver;

import io.streamfleet.contracts.json.ContractMapper;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the gateway's answer to a request: 2xx but 207 ⇒ all accepted; 207 (mixed batch) ⇒ the entries of the
 * per-index result list that say accepted; anything else ⇒ none. What the gateway asks to have sent again after a
 * delay (docs/ingest-gateway.md, HTTP and Overload) becomes a {@link SendResult.Resend}: a 503 or 429 with
 * {@code Retry-After} (header, else {@code retryAfterSeconds} in the body), every event of it but those its
 * {@code results[]} say were rejected as invalid; the {@code unavailable} entries of a 207 with {@code Retry-After}.
 * An answer without a delay is not resent.
 */
public final class GatewayResponses {

    private static final String PROBLEM_PREFIX = "urn:streamfleet:problem:";

    private GatewayResponses() {
    }

    public static SendResult read(int events, int status, String body) {
        return read(events, status, body, null);
    }

    /** @param retryAfter the {@code Retry-After} header, or null */
    public static SendResult read(int events, int status, String body, String retryAfter) {
        if (status == 207) {
            return mixed(events, body, retryAfter);
        }
        if (status >= 200 && status < 300) {
            return new SendResult(events, events, Integer.toString(status));
        }
        if (status == 503 || status == 429) {
            return refused(events, status, body, retryAfter);
        }
        return new SendResult(events, 0, Integer.toString(status));
    }

    private static SendResult mixed(int events, String body, String retryAfter) {
        JsonNode root = parse(body);
        JsonNode results = root.isArray() ? root : root.path("results");
        List<Integer> accepted = new ArrayList<>();
        List<Integer> unavailable = new ArrayList<>();
        String reason = null;
        int position = 0;
        for (JsonNode entry : results) {
            int index = entry.path("index").asInt(position++);
            if (index < 0 || index >= events) {
                continue;
            }
            if (isAccepted(entry)) {
                accepted.add(index);
            } else if ("unavailable".equals(entry.path("status").asString(""))) {
                unavailable.add(index);
                reason = reason == null ? entry.path("reason").asString("unavailable") : reason;
            }
        }
        if (accepted.isEmpty() && root.path("accepted").isNumber()) {
            // a summary without per-index results: the count only, no event known as accepted
            return new SendResult(events, Math.min(events, root.path("accepted").asInt()), "207");
        }
        long delayMs = delayMs(retryAfter, root);
        SendResult.Resend resend = unavailable.isEmpty() || delayMs < 0 ? null
                : new SendResult.Resend(unavailable, delayMs, reason);
        return new SendResult(events, Math.min(events, accepted.size()), "207", accepted, resend);
    }

    private static SendResult refused(int events, int status, String body, String retryAfter) {
        JsonNode root = parse(body);
        String type = root.path("type").asString("");
        String slug = type.startsWith(PROBLEM_PREFIX) ? type.substring(PROBLEM_PREFIX.length()) : "";
        String outcome = slug.isEmpty() ? Integer.toString(status) : status + "-" + slug;
        long delayMs = delayMs(retryAfter, root);
        if (delayMs < 0) {
            return new SendResult(events, 0, outcome);
        }
        JsonNode results = root.path("results");
        List<Integer> again = new ArrayList<>();
        String reason = slug.isEmpty() ? Integer.toString(status) : slug.replace('-', '_');
        if (results.isArray() && !results.isEmpty()) {
            int position = 0;
            String itemReason = null;
            for (JsonNode entry : results) {
                int index = entry.path("index").asInt(position++);
                if (index >= 0 && index < events && "unavailable".equals(entry.path("status").asString(""))) {
                    again.add(index);
                    itemReason = itemReason == null ? entry.path("reason").asString(null) : itemReason;
                }
            }
            if (!slug.equals("overloaded") && itemReason != null) {
                reason = itemReason; // timeout, circuit_open, saturated: more precise than "unavailable"
            }
        } else {
            // refused before the body was parsed: nothing of the request was looked at, all of it goes again
            for (int i = 0; i < events; i++) {
                again.add(i);
            }
        }
        return new SendResult(events, 0, outcome, null,
                again.isEmpty() ? null : new SendResult.Resend(again, delayMs, reason));
    }

    /** The delay the answer gives: {@code Retry-After} seconds, else the body's; -1 when it gives none. */
    static long delayMs(String retryAfter, JsonNode body) {
        if (retryAfter != null) {
            try {
                long seconds = Long.parseLong(retryAfter.trim());
                if (seconds >= 0) {
                    return seconds * 1000;
                }
            } catch (NumberFormatException e) {
                // an HTTP date (the gateway sends seconds): fall back to the body
            }
        }
        if (body.path("retryAfterSeconds").isNumber()) {
            return Math.max(0, body.path("retryAfterSeconds").asLong()) * 1000;
        }
        if (body.path("retryAfterMs").isNumber()) {
            return Math.max(0, body.path("retryAfterMs").asLong());
        }
        return -1;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? ContractMapper.shared().createObjectNode()
                    : ContractMapper.shared().readTree(body);
        } catch (RuntimeException e) {
            return ContractMapper.shared().createObjectNode();
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
