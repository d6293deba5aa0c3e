package io.streamfleet.gateway.http;

import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.gateway.intake.EventIntake;
import io.streamfleet.gateway.intake.IntakeLimits;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import io.streamfleet.gateway.publishing.IngestService;
import io.streamfleet.gateway.publishing.RecordingSink;
import io.streamfleet.gateway.publishing.RetryAfterPolicy;
import io.streamfleet.gateway.security.RequestGuard;
import io.streamfleet.support.security.ApiKey;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.support.security.Scopes;
import io.streamfleet.testkit.web.ApiDocsContract;
import io.streamfleet.testkit.web.OpenApiCoverage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The gateway's OpenAPI 3.1 document in a running web context: served at {@code /v3/api-docs} (and
 * {@code /v1/openapi.json}) without a key, and it lists exactly the routes the context serves plus the WebSocket and its dry run.
 */
@WebFluxTest({EventRoutes.class, OpenApiController.class})
@Import(ApiDocsWebTest.GatewayWeb.class)
class ApiDocsWebTest {

    static final String WRITER_KEY = "writer-secret";

    @Autowired
    WebTestClient client;

    @Autowired
    ApplicationContext context;

    @Test
    void shouldDocumentEveryServedRouteWhenApiDocsAreFetchedWithoutAKey() {
        byte[] document = ApiDocsContract.fetch(client);

        OpenApiCoverage.assertDocumentsExactlyTheServedRoutes(document, context, "GET /v1/events/ws",
                "GET /v1/events/ws/dry-run");
        client.get().uri(OpenApiController.PATH).exchange().expectStatus().isOk()
                .expectBody(byte[].class).isEqualTo(document);
    }

    /** The gateway's web beans over a recording sink (WebConfiguration needs Kafka). */
    @TestConfiguration(proxyBeanMethods = false)
    static class GatewayWeb {

        @Bean
        GatewayMetrics gatewayMetrics() {
            return new GatewayMetrics(new SimpleMeterRegistry());
        }

        @Bean
        IngestService ingestService(GatewayMetrics metrics) {
            return new IngestService(new EventIntake(new IntakeLimits(4096, 7, 8, 512, 300_000)), new RecordingSink(),
                    metrics, new RetryAfterPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1)), Clock.systemUTC());
        }

        @Bean
        RequestGuard requestGuard() {
            ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(List.of(new ApiKey("writer",
                    ApiKeyAuthenticator.sha256Hex(WRITER_KEY), Set.of(Scopes.EVENTS_WRITE), 0)));
            return new RequestGuard(authenticator, RateLimiterRegistry.ofDefaults(), Scopes.EVENTS_WRITE);
        }
    }
}
