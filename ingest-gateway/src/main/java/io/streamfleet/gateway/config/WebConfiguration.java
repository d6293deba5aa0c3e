package io.streamfleet.gateway.config;

import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.streamfleet.gateway.http.DryRun;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import io.streamfleet.gateway.publishing.IngestService;
import io.streamfleet.gateway.security.RequestGuard;
import io.streamfleet.gateway.websocket.EventsWebSocketHandler;
import io.streamfleet.gateway.websocket.WebSocketGuardFilter;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.support.security.ApiKeyProperties;
import io.streamfleet.support.security.Scopes;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.netty.http.server.WebsocketServerSpec;

import java.util.Map;

/** API keys, the request guard and the WebSocket endpoint. The HTTP controller is found by component scanning. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiKeyProperties.class)
class WebConfiguration {

    @Bean
    RequestGuard requestGuard(ApiKeyProperties keys, RateLimiterRegistry rateLimiters) {
        return new RequestGuard(new ApiKeyAuthenticator(keys.apiKeys()), rateLimiters, Scopes.EVENTS_WRITE);
    }

    @Bean
    WebSocketGuardFilter webSocketGuardFilter(GatewayProperties properties, RequestGuard guard,
                                              GatewayMetrics metrics) {
        return new WebSocketGuardFilter(properties.websocket().path(), guard, metrics);
    }

    /** The WebSocket's dry run authenticates with the dry-run guard, before the upgrade as the real one does. */
    @Bean
    WebSocketGuardFilter dryRunWebSocketGuardFilter(GatewayProperties properties, DryRun dryRun) {
        return new WebSocketGuardFilter(properties.websocket().dryRunPath(), dryRun.guard(), dryRun.metrics());
    }

    /**
     * The WebSocket and its dry run: the same handler class, the real one over the real ingest path and guard, the
     * dry run over the {@link DryRun} parts (sends nothing, its own guard and meters). The path alone decides which.
     */
    @Bean
    HandlerMapping eventsWebSocketMapping(GatewayProperties properties, IngestService service, RequestGuard guard,
                                          GatewayMetrics metrics, DryRun dryRun) {
        int maxInFlightFrames = properties.websocket().maxInFlightFrames();
        EventsWebSocketHandler handler = new EventsWebSocketHandler(service, guard, metrics, maxInFlightFrames);
        EventsWebSocketHandler dryRunHandler = new EventsWebSocketHandler(dryRun.service(), dryRun.guard(),
                dryRun.metrics(), maxInFlightFrames);
        return new SimpleUrlHandlerMapping(Map.of(properties.websocket().path(), handler,
                properties.websocket().dryRunPath(), dryRunHandler), Ordered.HIGHEST_PRECEDENCE);
    }

    /** One WebSocket message may be as large as a request body (Reactor Netty's default is 64 KiB). */
    @Bean
    WebFluxConfigurer webSocketServiceConfigurer(GatewayProperties properties) {
        return new WebFluxConfigurer() {
            @Override
            public WebSocketService getWebSocketService() {
                int maxFrame = (int) properties.maxBodySize().toBytes();
                return new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
                        () -> WebsocketServerSpec.builder().maxFramePayloadLength(maxFrame)));
            }
        };
    }
}
