package io.streamfleet.gateway.problem;

import io.streamfleet.gateway.security.GuardDecision;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.util.Map;

/** The problems the gateway answers outside of event validation: auth, rate, content type, size, availability. */
public final class GatewayProblems {

    public static final String ACCEPTED_MEDIA_TYPES = "application/json, application/x-ndjson";

    private GatewayProblems() {
    }

    /** 401, 403 or 429 for a request the guard did not let through. */
    public static ResponseEntity<Object> denied(GuardDecision decision, String instance) {
        HttpHeaders headers = new HttpHeaders();
        return switch (decision.outcome()) {
            case UNAUTHENTICATED -> {
                headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"streamfleet\"");
                yield Problems.response(401, "unauthenticated", "Missing or invalid API key", decision.message(),
                        instance, null, headers);
            }
            case FORBIDDEN -> Problems.response(403, "forbidden", "API key lacks the required scope",
                    decision.message(), instance, null, null);
            case RATE_LIMITED -> {
                headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds(decision.retryAfter())));
                yield Problems.response(429, "rate-limited", "Too many requests for this API key",
                        decision.message(), instance, null, headers);
            }
            case OK -> throw new IllegalArgumentException("an admitted request is not a problem");
        };
    }

    public static ResponseEntity<Object> unsupportedMediaType(String given, String instance) {
        HttpHeaders headers = new HttpHeaders();
        headers.set("Accept-Post", ACCEPTED_MEDIA_TYPES);
        return Problems.response(415, "unsupported-media-type", "Unsupported content type",
                "Content-Type " + (given == null ? "is missing" : "'" + given + "' is not supported")
                        + "; use " + ACCEPTED_MEDIA_TYPES, instance, null, headers);
    }

    public static ResponseEntity<Object> bodyTooLarge(long limit, String instance) {
        return Problems.response(413, "body-too-large", "Request body too large",
                "the body is larger than the limit of " + limit + " bytes", instance, Map.of("maxBytes", limit), null);
    }

    public static long seconds(Duration duration) {
        return duration == null ? 1 : Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
