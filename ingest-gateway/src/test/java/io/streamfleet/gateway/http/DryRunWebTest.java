package io.streamfleet.gateway.http;

import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.gateway.intake.EventIntake;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.intake.IntakeLimits;
import io.streamfleet.gateway.publishing.DryRunSink;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import io.streamfleet.gateway.publishing.IngestService;
import io.streamfleet.gateway.publishing.RecordingSink;
import io.streamfleet.gateway.publishing.RetryAfterPolicy;
import io.streamfleet.gateway.security.RequestGuard;
import io.streamfleet.gateway.warmup.WarmUpKey;
import io.streamfleet.support.security.ApiKey;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.support.security.Scopes;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.streamfleet.gateway.intake.Bodies.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dry-run routes as the gateway wires them: the real ingest path over a sink that sends nothing, a guard that
 * also knows the warm-up's key, meters of their own. Nothing reaches the real sink or the real meters.
 */
class DryRunWebTest {

    static final String KEY = "writer-secret";
    static final String READ_ONLY = "reader-secret";

    final RecordingSink sink = new RecordingSink();
    final SimpleMeterRegistry realMeters = new SimpleMeterRegistry();
    final SimpleMeterRegistry dryRunMeters = new SimpleMeterRegistry();
    final WarmUpKey warmUpKey = WarmUpKey.random();
    final WebTestClient client = client();

    private WebTestClient client() {
        GatewayMetrics metrics = new GatewayMetrics(realMeters);
        IngestService service = new IngestService(new EventIntake(new IntakeLimits(4096, 5, 8, 512, 300_000)), sink,
                metrics, new RetryAfterPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1)), Clock.systemUTC());
        List<ApiKey> keys = List.of(
                new ApiKey("writer", ApiKeyAuthenticator.sha256Hex(KEY), Set.of(Scopes.EVENTS_WRITE), 0),
                new ApiKey("reader", ApiKeyAuthenticator.sha256Hex(READ_ONLY), Set.of(Scopes.ALERTS_READ), 0));
        RateLimiterRegistry limiters = RateLimiterRegistry.ofDefaults();
        RequestGuard guard = new RequestGuard(new ApiKeyAuthenticator(keys), limiters, Scopes.EVENTS_WRITE);
        List<ApiKey> dryRunKeys = new java.util.ArrayList<>(keys);
        dryRunKeys.add(warmUpKey.apiKey());
        GatewayMetrics dryRunMetrics = new GatewayMetrics(dryRunMeters);
        DryRun dryRun = new DryRun(service.over(new DryRunSink(Map.of(EventKind.ORDER, "orders.raw",
                EventKind.ENGAGEMENT, "engagement.raw")), dryRunMetrics),
                new RequestGuard(new ApiKeyAuthenticator(dryRunKeys), limiters, Scopes.EVENTS_WRITE), dryRunMetrics);
        return WebTestClient.bindToRouterFunction(new EventRoutes(service, guard, metrics, dryRun)).build();
    }

    private WebTestClient.ResponseSpec post(String path, String bearer, String body) {
        var request = client.post().uri(path).contentType(MediaType.APPLICATION_JSON);
        if (bearer != null) {
            request = request.header("Authorization", bearer);
        }
        return request.bodyValue(body).exchange();
    }

    private static String now() {
        return Long.toString(System.currentTimeMillis());
    }

    private static String validOrder(String id) {
        return order(id, "acc", "AAPL", System.currentTimeMillis());
    }

    @Test
    void shouldAnswer200NamingTheTopicWithoutAPositionAndSendNothingWhenEveryEventIsValid() {
        post("/v1/orders/dry-run", "Bearer " + KEY, validOrder("o-1"))
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.accepted").isEqualTo(1)
                .jsonPath("$.results[0].status").isEqualTo("accepted")
                .jsonPath("$.results[0].topic").isEqualTo("orders.raw")
                .jsonPath("$.results[0].partition").isEqualTo(-1)
                .jsonPath("$.results[0].offset").isEqualTo(-1);

        assertThat(sink.received).isEmpty();
        assertThat(realMeters.find("streamfleet.gateway.events.accepted").counters()).isEmpty();
        assertThat(dryRunMeters.get("streamfleet.gateway.events.accepted").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldAnswerPerIndexLikeTheRealRouteWhenABatchIsMixed() {
        String bad = validOrder("o-2").replace("\"qty\":100", "\"qty\":0");
        post("/v1/events/dry-run", "Bearer " + KEY, "[" + validOrder("o-1")
                + "," + bad + "]")
                .expectStatus().isEqualTo(207)
                .expectBody()
                .jsonPath("$.accepted").isEqualTo(1)
                .jsonPath("$.results[1].status").isEqualTo("rejected")
                .jsonPath("$.results[1].errors[0].field").isEqualTo("qty");
        post("/v1/engagement/dry-run", "Bearer " + KEY, validOrder("o-3"))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:streamfleet:problem:validation-failed");

        assertThat(sink.received).isEmpty();
    }

    @Test
    void shouldRefuseADryRunWithoutAKeyOrWithoutTheWriteScope() {
        post("/v1/orders/dry-run", null, validOrder("o-1")).expectStatus().isUnauthorized();
        post("/v1/orders/dry-run", "Bearer " + READ_ONLY, validOrder("o-1")).expectStatus().isForbidden();
        post("/v1/orders/dry-run", "Bearer nobody", validOrder("o-1")).expectStatus().isUnauthorized();
    }

    @Test
    void shouldOpenOnlyTheDryRunRoutesWithTheWarmUpKey() {
        post("/v1/orders/dry-run", warmUpKey.bearer(), validOrder("o-1")).expectStatus().isOk();

        post("/v1/orders", warmUpKey.bearer(), validOrder("o-2")).expectStatus().isUnauthorized();
        post("/v1/events", warmUpKey.bearer(), validOrder("o-3"))
                .expectStatus().isUnauthorized();

        assertThat(sink.received).isEmpty();
    }

    @Test
    void shouldStillPublishRealRequestsThroughTheRealSink() {
        post("/v1/orders", "Bearer " + KEY, validOrder("o-9")).expectStatus().isAccepted();

        assertThat(sink.received).extracting("eventId").containsExactly("o-9");
        assertThat(realMeters.get("streamfleet.gateway.events.accepted").counter().count()).isEqualTo(1.0);
        assertThat(dryRunMeters.find("streamfleet.gateway.events.accepted").counters()).isEmpty();
    }

    @Test
    void shouldForgetTheWarmUpSecretWhenAsked() {
        WarmUpKey key = WarmUpKey.random();
        assertThat(key.bearer()).startsWith("Bearer ").hasSize("Bearer ".length() + 64);

        key.forget();

        org.assertj.core.api.Assertions.assertThatThrownBy(key::bearer).isInstanceOf(IllegalStateException.class);
    }
}
