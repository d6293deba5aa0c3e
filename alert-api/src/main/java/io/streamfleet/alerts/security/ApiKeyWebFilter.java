package io.streamfleet.alerts.security;

import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.support.security.AuthResult;
import io.streamfleet.support.security.Scopes;
import io.streamfleet.support.problem.ProblemTypes;
import io.streamfleet.support.problem.Problems;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * API-key check of the HTTP API: {@code /v1/alerts/**}, {@code /v1/console/**} and {@code /v1/late-events} need
 * {@code alerts:read}, {@code /v1/webhooks/**} needs
 * {@code webhooks:admin}; the console page and actuator are open. The SSE stream alone also accepts the key as the
 * {@code access_token} query parameter, because a browser's EventSource cannot send an Authorization header (the
 * approach of Mercure and RFC 6750 §2.3); the key then shows in URLs, so use a read-only key there.
 */
public final class ApiKeyWebFilter implements WebFilter, Ordered {

    /** Exchange attribute holding the id of the authenticated key. */
    public static final String KEY_ID_ATTRIBUTE = "streamfleet.apiKeyId";
    public static final String STREAM_PATH = "/v1/alerts/stream";
    public static final String ACCESS_TOKEN_PARAM = "access_token";
    /** Which keys' events came too late: read-only operational data, so {@code alerts:read} like the console. */
    public static final String LATE_EVENTS_PATH = "/v1/late-events";

    private final ApiKeyAuthenticator authenticator;

    public ApiKeyWebFilter(ApiKeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().pathWithinApplication().value();
        String scope = requiredScope(path);
        if (scope == null || request.getMethod() == HttpMethod.OPTIONS) {
            return chain.filter(exchange);
        }
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null && STREAM_PATH.equals(path)) {
            String token = request.getQueryParams().getFirst(ACCESS_TOKEN_PARAM);
            authorization = token == null ? null : "Bearer " + token;
        }
        AuthResult result = authenticator.authenticate(authorization, scope);
        if (result.ok()) {
            exchange.getAttributes().put(KEY_ID_ATTRIBUTE, result.key().id());
            return chain.filter(exchange);
        }
        boolean forbidden = result.outcome() == AuthResult.Outcome.FORBIDDEN;
        return reject(exchange, forbidden ? HttpStatus.FORBIDDEN : HttpStatus.UNAUTHORIZED,
                result.message());
    }

    /** The scope a path needs, or null when it is open. */
    public static String requiredScope(String path) {
        if (path.equals("/v1/alerts") || path.startsWith("/v1/alerts/") || path.startsWith("/v1/console/")
                || path.equals(LATE_EVENTS_PATH) || path.startsWith(LATE_EVENTS_PATH + "/")) {
            return Scopes.ALERTS_READ;
        }
        if (path.equals("/v1/webhooks") || path.startsWith("/v1/webhooks/")) {
            return Scopes.WEBHOOKS_ADMIN;
        }
        return null;
    }

    private static Mono<Void> reject(ServerWebExchange exchange, HttpStatus status, String detail) {
        HttpHeaders headers = new HttpHeaders();
        String name = ProblemTypes.FORBIDDEN;
        String title = "API key lacks the required scope";
        if (status == HttpStatus.UNAUTHORIZED) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"streamfleet\"");
            name = ProblemTypes.UNAUTHENTICATED;
            title = "Missing or invalid API key";
        }
        String path = exchange.getRequest().getPath().value();
        return Problems.write(exchange, Problems.of(status, name, title, detail, path), headers);
    }
}
