package io.streamfleet.gateway.config;

import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.gateway.http.DryRun;
import io.streamfleet.gateway.intake.EventIntake;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import io.streamfleet.gateway.publishing.IngestService;
import io.streamfleet.gateway.publishing.RecordingSink;
import io.streamfleet.gateway.publishing.RetryAfterPolicy;
import io.streamfleet.gateway.security.RequestGuard;
import io.streamfleet.gateway.warmup.WarmUpKey;
import io.streamfleet.gateway.websocket.EventsWebSocketHandler;
import io.streamfleet.gateway.websocket.WebSocketGuardFilter;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.support.security.ApiKeyProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket and its dry run as the gateway's configuration wires them: the warm-up's key passes only the dry-run
 * socket's guard, the real socket's guard and handler never learn of it, and the two paths have handlers of their own.
 */
class WebSocketDryRunWiringTest {

    static final String SECRET = "writer-secret";

    final GatewayProperties properties = new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("streamfleet.gateway", GatewayProperties.class);
    final ApiKeyProperties keys = new ApiKeyProperties(List.of(new ApiKeyProperties.KeyEntry("writer",
            ApiKeyAuthenticator.sha256Hex(SECRET), Set.of("events:write"), 0)), null, 0);
    final RateLimiterRegistry limiters = RateLimiterRegistry.ofDefaults();
    final WarmUpKey warmUpKey = WarmUpKey.random();
    final GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry());
    final IngestService service = new IngestService(new EventIntake(properties.limits()), new RecordingSink(), metrics,
            new RetryAfterPolicy(properties.publish().openFor(), properties.publish().saturatedRetryAfter()),
            Clock.systemUTC());
    final WebConfiguration web = new WebConfiguration();
    final RequestGuard guard = web.requestGuard(keys, limiters);
    final DryRun dryRun = new WarmUpConfiguration().dryRun(service, keys,
            new StaticListableBeanFactory(Map.of("warmUpKey", warmUpKey)).getBeanProvider(WarmUpKey.class), limiters,
            properties);
    final WebSocketGuardFilter realFilter = web.webSocketGuardFilter(properties, guard, metrics);
    final WebSocketGuardFilter dryRunFilter = web.dryRunWebSocketGuardFilter(properties, dryRun);

    /** The handshake's status as the filter leaves it, and whether it let the handshake on. */
    private static boolean passes(WebSocketGuardFilter filter, String path, String bearer, int[] status) {
        AtomicBoolean passed = new AtomicBoolean();
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get(path);
        if (bearer != null) {
            request.header(HttpHeaders.AUTHORIZATION, bearer);
        }
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        filter.filter(exchange, e -> {
            passed.set(true);
            return Mono.empty();
        }).block();
        status[0] = exchange.getResponse().getStatusCode() == null ? 0 : exchange.getResponse().getStatusCode().value();
        return passed.get();
    }

    @Test
    void shouldLetTheWarmUpKeyOpenOnlyTheDryRunSocket() {
        int[] status = new int[1];

        assertThat(passes(realFilter, "/v1/events/ws", warmUpKey.bearer(), status)).isFalse();
        assertThat(status[0]).isEqualTo(401);
        assertThat(passes(dryRunFilter, "/v1/events/ws/dry-run", warmUpKey.bearer(), status)).isTrue();
        // the real socket's handler identifies its client with the real guard, which does not know the key
        assertThat(guard.identify(warmUpKey.bearer())).isNull();
        assertThat(dryRun.guard().identify(warmUpKey.bearer())).isEqualTo(WarmUpKey.ID);
    }

    @Test
    void shouldGuardTheDryRunSocketLikeTheRealOneForOtherClients() {
        int[] status = new int[1];

        assertThat(passes(realFilter, "/v1/events/ws", "Bearer " + SECRET, status)).isTrue();
        assertThat(passes(dryRunFilter, "/v1/events/ws/dry-run", "Bearer " + SECRET, status)).isTrue();
        assertThat(passes(dryRunFilter, "/v1/events/ws/dry-run", null, status)).isFalse();
        assertThat(status[0]).isEqualTo(401);
        assertThat(passes(dryRunFilter, "/v1/events/ws/dry-run", "Bearer nobody", status)).isFalse();
        assertThat(status[0]).isEqualTo(401);
        // each filter guards its own path only
        assertThat(passes(dryRunFilter, "/v1/events/ws", null, status)).isTrue();
        assertThat(passes(realFilter, "/v1/events/ws/dry-run", null, status)).isTrue();
    }

    @Test
    void shouldMapEachPathToAHandlerOfItsOwn() {
        SimpleUrlHandlerMapping mapping = (SimpleUrlHandlerMapping) web.eventsWebSocketMapping(properties, service,
                guard, metrics, dryRun);

        assertThat(mapping.getUrlMap()).containsOnlyKeys("/v1/events/ws", "/v1/events/ws/dry-run");
        assertThat(mapping.getUrlMap().values()).allSatisfy(h -> assertThat(h).isInstanceOf(EventsWebSocketHandler.class));
        assertThat(mapping.getUrlMap().get("/v1/events/ws")).isNotSameAs(mapping.getUrlMap().get("/v1/events/ws/dry-run"));
    }
}
