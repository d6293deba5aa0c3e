package io.streamfleet.gateway.http;

import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.contracts.Contracts;
import io.streamfleet.gateway.intake.EventIntake;
import io.streamfleet.gateway.intake.IntakeLimits;
import io.streamfleet.gateway.intake.PublishFailure;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import io.streamfleet.gateway.publishing.IngestService;
import io.streamfleet.gateway.publishing.PublishLane;
import io.streamfleet.gateway.publishing.RecordingSink;
import io.streamfleet.gateway.publishing.RetryAfterPolicy;
import io.streamfleet.gateway.security.RequestGuard;
import io.streamfleet.support.security.ApiKey;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.support.security.Scopes;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.streamfleet.gateway.intake.Bodies.engagement;
import static io.streamfleet.gateway.intake.Bodies.order;
import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP contract of the gateway over a recording sink: statuses, problem details, per-index results. */
class EventRoutesWebTest {

    static final String KEY = "writer-secret";
    static final String READ_ONLY = "reader-secret";
    static final String SLOW = "slow-secret";

    final RecordingSink sink = new RecordingSink();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final WebTestClient client = client(sink, registry, new IntakeLimits(2048, 3, 8, 512, 300_000));

    static WebTestClient client(RecordingSink sink, SimpleMeterRegistry registry, IntakeLimits limits) {
        GatewayMetrics metrics = new GatewayMetrics(registry);
        IngestService service = new IngestService(new EventIntake(limits), sink, metrics,
                new RetryAfterPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1)), Clock.systemUTC());
        ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(List.of(
                new ApiKey("writer", ApiKeyAuthenticator.sha256Hex(KEY), Set.of(Scopes.EVENTS_WRITE), 0),
                new ApiKey("reader", ApiKeyAuthenticator.sha256Hex(READ_ONLY), Set.of(Scopes.ALERTS_READ), 0),
                new ApiKey("slow", ApiKeyAuthenticator.sha256Hex(SLOW), Set.of(Scopes.EVENTS_WRITE), 2)));
        RequestGuard guard = new RequestGuard(authenticator, RateLimiterRegistry.ofDefaults(), Scopes.EVENTS_WRITE);
        return WebTestClient.bindToRouterFunction(new EventRoutes(service, guard, metrics)).build();
    }

    WebTestClient.ResponseSpec post(String path, String key, MediaType type, String body) {
        var request = client.post().uri(path);
        if (key != null) {
            request = request.header("Authorization", "Bearer " + key);
        }
        if (type != null) {
            request = request.contentType(type);
        }
        return request.bodyValue(body).exchange();
    }

    static long now() {
        return System.currentTimeMillis();
    }

    @Test
    void shouldAnswer202WithOffsetsWhenEveryEventIsAccepted() {
        post("/v1/events", KEY, MediaType.APPLICATION_JSON,
                "[" + order("o-1", "acc", "AAPL", now()) + "," + engagement("e-1", "u-1").replace("1750000000000",
                        Long.toString(now())) + "]")
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.accepted").isEqualTo(2)
                .jsonPath("$.results[0].status").isEqualTo("accepted")
                .jsonPath("$.results[0].topic").isEqualTo("order.raw")
                .jsonPath("$.results[1].eventId").isEqualTo("e-1");
        assertThat(sink.received).extracting("key").containsExactly("acc|AAPL", "u-1");
        assertThat(sink.submitters).containsOnly("writer");
    }

    @Test
    void shouldSendALoneEventThroughTheSingleEventProducerAndArraysThroughTheBatchingOne() {
        post("/v1/orders", KEY, MediaType.APPLICATION_JSON, order("o-1", "acc", "AAPL", now()))
                .expectStatus().isAccepted();
        post("/v1/orders", KEY, MediaType.APPLICATION_JSON,
                "[" + order("o-2", "acc", "AAPL", now()) + "," + order("o-3", "acc", "AAPL", now()) + "]")
                .expectStatus().isAccepted();
        // one valid event left of two: nothing to batch it with either
        post("/v1/orders", KEY, MediaType.APPLICATION_JSON, "[" + order("o-4", "acc", "AAPL", now()) + ","
                + order("o-5", "acc", "AAPL", now()).replace("\"qty\":100", "\"qty\":0") + "]")
                .expectStatus().isEqualTo(207);

        assertThat(sink.lanes).containsExactly(PublishLane.SINGLE_EVENTS, PublishLane.BATCHES,
                PublishLane.SINGLE_EVENTS);
    }

    @Test
    void shouldAnswer207PerIndexWhenBatchIsMixed() {
        String bad = order("o-2", "acc", "AAPL", now()).replace("\"qty\":100", "\"qty\":0");
        post("/v1/events", KEY, MediaType.APPLICATION_JSON,
                "[" + order("o-1", "acc", "AAPL", now()) + "," + bad + "]")
                .expectStatus().isEqualTo(207)
                .expectBody()
                .jsonPath("$.accepted").isEqualTo(1)
                .jsonPath("$.rejected").isEqualTo(1)
                .jsonPath("$.results[1].index").isEqualTo(1)
                .jsonPath("$.results[1].status").isEqualTo("rejected")
                .jsonPath("$.results[1].errors[0].field").isEqualTo("qty");
        assertThat(sink.received).extracting("eventId").containsExactly("o-1");
    }

    @Test
    void shouldRejectOnlyTheEventWithADuplicatePropertyWhenBatchHasOne() {
        String twice = order("x1", "acc", "AAPL", now()).replace("\"qty\":100", "\"qty\":100,\"eventId\":\"x2\"");
        post("/v1/events", KEY, MediaType.APPLICATION_JSON, "[" + order("o-1", "acc", "AAPL", now()) + "," + twice + "]")
                .expectStatus().isEqualTo(207)
                .expectBody()
                .jsonPath("$.accepted").isEqualTo(1)
                .jsonPath("$.results[1].status").isEqualTo("rejected")
                .jsonPath("$.results[1].reason").isEqualTo("duplicate_field")
                .jsonPath("$.results[1].errors[0].field").isEqualTo("eventId");
        post("/v1/events", KEY, MediaType.APPLICATION_JSON, twice)
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:streamfleet:problem:validation-failed")
                .jsonPath("$.results[0].reason").isEqualTo("duplicate_field")
                .jsonPath("$.results[0].errors[0].field").isEqualTo("eventId");
        assertThat(sink.received).extracting("eventId").containsExactly("o-1");
    }

    @Test
    void shouldAnswer400ProblemWithResultsWhenNoEventIsValid() {
        post("/v1/orders", KEY, MediaType.APPLICATION_JSON, order("o-1").replace("\"order\"", "\"engagement\""))
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:streamfleet:problem:validation-failed")
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.instance").isEqualTo("/v1/orders")
                .jsonPath("$.results[0].reason").isEqualTo("kind_mismatch");
        assertThat(sink.received).isEmpty();
    }

    @Test
    void shouldAcceptNdjsonWhenContentTypeSaysSo() {
        String body = order("o-1", "a", "S", now()) + "\n\n" + order("o-2", "a", "S", now()) + "\n";
        post("/v1/events", KEY, MediaType.parseMediaType("application/x-ndjson"), body)
                .expectStatus().isAccepted().expectBody().jsonPath("$.accepted").isEqualTo(2);
    }

    @Test
    void shouldAnswer401Or403WhenKeyIsMissingUnknownOrLacksScope() {
        post("/v1/events", null, MediaType.APPLICATION_JSON, order("o-1"))
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer realm=\"streamfleet\"")
                .expectBody().jsonPath("$.type").isEqualTo("urn:streamfleet:problem:unauthenticated");
        post("/v1/events", "guess", MediaType.APPLICATION_JSON, order("o-1")).expectStatus().isUnauthorized();
        post("/v1/events", READ_ONLY, MediaType.APPLICATION_JSON, order("o-1"))
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("events:write"));
        assertThat(sink.received).isEmpty();
    }

    @Test
    void shouldAnswer429WithRetryAfterWhenKeyExceedsItsRate() {
        String event = order("o-1", "a", "S", now());
        post("/v1/events", SLOW, MediaType.APPLICATION_JSON, event).expectStatus().isAccepted();
        post("/v1/events", SLOW, MediaType.APPLICATION_JSON, event).expectStatus().isAccepted();
        post("/v1/events", SLOW, MediaType.APPLICATION_JSON, event)
                .expectStatus().isEqualTo(429)
                .expectHeader().valueEquals("Retry-After", "1")
                .expectBody().jsonPath("$.type").isEqualTo("urn:streamfleet:problem:rate-limited");
        post("/v1/events", KEY, MediaType.APPLICATION_JSON, event).expectStatus().isAccepted();
    }

    @Test
    void shouldAnswer415WhenContentTypeIsMissingOrWrong() {
        post("/v1/events", KEY, MediaType.TEXT_PLAIN, order("o-1"))
                .expectStatus().isEqualTo(415)
                .expectHeader().valueEquals("Accept-Post", "application/json, application/x-ndjson")
                .expectBody().jsonPath("$.type").isEqualTo("urn:streamfleet:problem:unsupported-media-type");
        client.post().uri("/v1/events").header("Authorization", "Bearer " + KEY).bodyValue(new byte[] {'{', '}'})
                .exchange().expectStatus().isEqualTo(415);
    }

    @Test
    void shouldAnswer413WhenBodyOrBatchIsTooLarge() {
        post("/v1/events", KEY, MediaType.APPLICATION_JSON, "[" + "1,".repeat(1500) + "1]")
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.type").isEqualTo("urn:streamfleet:problem:body-too-large");
        String four = "[" + String.join(",", order("a"), order("b"), order("c"), order("d")) + "]";
        post("/v1/events", KEY, MediaType.APPLICATION_JSON, four)
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.type").isEqualTo("urn:streamfleet:problem:batch-too-large");
    }

    @Test
    void shouldAnswer400WithSpecificTypeWhenBodyIsBroken() {
        expectProblem("", "empty-body");
        expectProblem("[]", "empty-batch");
        expectProblem("{\"kind\":", "malformed-json");
        expectProblem(order("o").replace("187.42", "NaN"), "non-finite-number");
        expectProblem("[[[[[[[[[[1]]]]]]]]]]", "too-deep");
        expectProblem(order("o", "a".repeat(600), "S", now()), "string-too-long");
        assertThat(registry.get("streamfleet.gateway.requests.refused").tag("reason", "too_deep").counter().count())
                .isEqualTo(1.0);
    }

    private void expectProblem(String body, String slug) {
        post("/v1/events", KEY, MediaType.APPLICATION_JSON, body)
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:streamfleet:problem:" + slug);
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenKafkaIsUnavailable() {
        sink.failWith(PublishFailure.CIRCUIT_OPEN);
        post("/v1/events", KEY, MediaType.APPLICATION_JSON, order("o-1", "a", "S", now()))
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "5")
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:streamfleet:problem:unavailable")
                .jsonPath("$.results[0].status").isEqualTo("unavailable")
                .jsonPath("$.results[0].reason").isEqualTo("circuit_open");
        sink.failWith(PublishFailure.SATURATED);
        post("/v1/events", KEY, MediaType.APPLICATION_JSON, order("o-1", "a", "S", now()))
                .expectStatus().isEqualTo(503).expectHeader().valueEquals("Retry-After", "1");
    }

    @Test
    void shouldCountAcceptedAndRejectedEventsByKindAndReason() {
        String bad = order("o-2", "acc", "AAPL", now()).replace("AAPL", "A A");
        post("/v1/events", KEY, MediaType.APPLICATION_JSON, "[" + order("o-1", "acc", "AAPL", now()) + "," + bad + "]")
                .expectStatus().isEqualTo(207);
        assertThat(registry.get("streamfleet.gateway.events.accepted").tag("kind", "order").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("streamfleet.gateway.events.rejected").tag("reason", "invalid_value").counter()
                .count()).isEqualTo(1.0);
        assertThat(registry.get("streamfleet.gateway.request.latency").tag("status", "207").timer().count())
                .isEqualTo(1);
        assertThat(sink.received).allMatch(e -> Contracts.orderEventReader().read(e.payload()).isValid());
    }
}
