package io.streamfleet.alerts.console;

import io.streamfleet.contracts.json.ContractMapper;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.NoSuchElementException;

/**
 * A user's baseline from session-analytics' interactive query ({@code GET /v1/users/{userId}/baseline}), which routes
 * to the instance owning the user. Read-only and for the console only: no alert path depends on it, so
 * session-analytics being down costs the chart, nothing else (a 503 naming the cause).
 */
public final class SessionBaselines {

    private final WebClient http;
    private final String baseUrl;
    private final Duration timeout;

    public SessionBaselines(WebClient http, String baseUrl, Duration timeout) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.timeout = timeout;
    }

    public Mono<JsonNode> of(String userId) {
        return http.get().uri(baseUrl + "/v1/users/{user}/baseline", userId).retrieve().bodyToMono(String.class)
                .map(body -> (JsonNode) ContractMapper.shared().readTree(body))
                .timeout(timeout)
                .onErrorMap(WebClientResponseException.NotFound.class,
                        e -> new NoSuchElementException("user " + userId + ": session-analytics has no baseline"))
                .onErrorMap(e -> !(e instanceof NoSuchElementException),
                        e -> new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                                "session-analytics at " + baseUrl + " did not answer: " + e.getMessage()));
    }
}
