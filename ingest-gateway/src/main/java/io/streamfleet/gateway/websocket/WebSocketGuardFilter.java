package io.streamfleet.gateway.websocket;

import io.streamfleet.gateway.problem.GatewayProblems;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import io.streamfleet.gateway.security.GuardDecision;
import io.streamfleet.gateway.security.RequestGuard;
import io.streamfleet.support.problem.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Authenticates the WebSocket handshake (scope and rate limit as for HTTP), so a bad key gets a 401/403/429 problem
 * before the upgrade rather than a closed socket after it.
 */
public final class WebSocketGuardFilter implements WebFilter {

    private final String path;
    private final RequestGuard guard;
    private final GatewayMetrics metrics;

    public WebSocketGuardFilter(String path, RequestGuard guard, GatewayMetrics metrics) {
        this.path = path;
        this.guard = guard;
        this.metrics = metrics;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!path.equals(exchange.getRequest().getPath().value())) {
            return chain.filter(exchange);
        }
        GuardDecision decision = guard.check(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (decision.ok()) {
            return chain.filter(exchange);
        }
        metrics.refused(decision.outcome().name().toLowerCase(), GatewayMetrics.WEBSOCKET);
        ResponseEntity<Object> problem = GatewayProblems.denied(decision, path);
        return Problems.write(exchange, (ProblemDetail) problem.getBody(), problem.getHeaders());
    }
}
