package io.streamfleet.gateway;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.gateway.intake.Bodies;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.TopicProbe;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged gateway against the shared real broker: what is acknowledged is in Kafka, what is rejected is not. */
@WithKafkaBroker
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayIT {

    private static final String SECRET = "it-secret";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("streamfleet.kafka.bootstrap-servers", SharedKafkaBroker::bootstrapServers);
        registry.add("streamfleet.security.keys[0].id", () -> "it");
        registry.add("streamfleet.security.keys[0].sha256", () -> ApiKeyAuthenticator.sha256Hex(SECRET));
        registry.add("streamfleet.security.keys[0].scopes[0]", () -> "events:write");
    }

    @LocalServerPort
    int port;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    private String order(String id) {
        return Bodies.order(run + "-" + id, "acc-" + run, "AAPL", System.currentTimeMillis());
    }

    @Test
    void shouldPublishAcceptedEventsWithKeyAndHeadersAndRejectedNotWhenBatchIsMixed() {
        long before = System.currentTimeMillis();
        String engagement = Bodies.engagement(run + "-e1", "user-" + run)
                .replace(Long.toString(Bodies.NOW), Long.toString(before));
        String invalid = order("o2").replace("\"price\":187.42", "\"price\":0");
        String body = "[" + order("o1") + "," + invalid + "," + engagement + "]";

        JsonNode response = ContractMapper.shared().readTree(client().post().uri("/v1/events")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + SECRET).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange()
                .expectStatus().isEqualTo(207)
                .expectBody(byte[].class).returnResult().getResponseBody());
        long after = System.currentTimeMillis();

        assertThat(response.get("results").get(0).get("status").asString()).isEqualTo("accepted");
        assertThat(response.get("results").get(1).get("errors").get(0).get("field").asString()).isEqualTo("price");
        List<ConsumerRecord<String, OrderEvent>> orders = TopicProbe.readAll(Topics.ORDERS_RAW, Duration.ofMillis(700))
                .stream().filter(r -> r.value().eventId().startsWith(run)).toList();
        assertThat(orders).extracting(r -> r.value().eventId()).containsExactly(run + "-o1");
        ConsumerRecord<String, OrderEvent> order = orders.get(0);
        assertThat(order.key()).isEqualTo("acc-" + run + "|AAPL");
        assertThat(order.partition()).isEqualTo(response.get("results").get(0).get("partition").asInt());
        assertThat(order.offset()).isEqualTo(response.get("results").get(0).get("offset").asLong());
        assertThat(Headers.lastLong(order.headers(), Headers.INGESTED_AT_MS, -1)).isBetween(before, after);
        assertThat(new String(order.headers().lastHeader(Headers.SUBMITTED_BY).value(), StandardCharsets.UTF_8))
                .isEqualTo("it");
        List<ConsumerRecord<String, EngagementEvent>> views = TopicProbe.readUntil(Topics.ENGAGEMENT_RAW,
                Duration.ofSeconds(10), read -> read.stream().anyMatch(r -> r.value().eventId().equals(run + "-e1")));
        ConsumerRecord<String, EngagementEvent> view = views.stream()
                .filter(r -> r.value().eventId().equals(run + "-e1")).findFirst().orElseThrow();
        assertThat(view.key()).isEqualTo("user-" + run);
        assertThat(view.value().dwellMs()).isEqualTo(1200);
    }

    @Test
    void shouldPublishNeitherValueWhenAnEventRepeatsAPropertyOverHttpOrWebSocket() {
        String twice = order("x1").replace("\"qty\":100", "\"qty\":100,\"eventId\":\"" + run + "-x2\"");
        JsonNode response = ContractMapper.shared().readTree(client().post().uri("/v1/events")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + SECRET).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[" + order("d1") + "," + twice + "]").exchange()
                .expectStatus().isEqualTo(207)
                .expectBody(byte[].class).returnResult().getResponseBody());
        JsonNode rejected = response.get("results").get(1);
        assertThat(rejected.get("reason").asString()).isEqualTo("duplicate_field");
        assertThat(rejected.get("errors").get(0).get("field").asString()).isEqualTo("eventId");

        List<JsonNode> acks = stream(List.of(twice, order("d2")), 2);
        assertThat(acks.get(0).get("status").asString()).isEqualTo("rejected");
        assertThat(acks.get(0).get("error").asString()).startsWith("eventId:");
        assertThat(acceptedIds(acks)).containsExactly(run + "-d2");
        assertThat(orderIdsInKafka(Set.of(run + "-d1", run + "-d2"))).contains(run + "-d1", run + "-d2")
                .doesNotContain(run + "-x1", run + "-x2");
    }

    @Test
    void shouldAckInOrderWithPerEventErrorsWhenStreamingOverWebSocket() {
        List<String> frames = new ArrayList<>();
        List<String> expectedIds = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            if (i % 10 == 3) {
                frames.add(order("ws" + i).replace("CREATED", "OPENED"));
                expectedIds.add(run + "-ws" + i);
            } else if (i % 10 == 7) {
                frames.add(order("ws" + i + "a") + "\n" + order("ws" + i + "b"));
                expectedIds.add(run + "-ws" + i + "a");
                expectedIds.add(run + "-ws" + i + "b");
            } else {
                frames.add(order("ws" + i));
                expectedIds.add(run + "-ws" + i);
            }
        }
        List<JsonNode> acks = stream(frames, expectedIds.size());

        assertThat(acks).extracting(a -> a.get("seq").asLong())
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, expectedIds.size()).boxed().toList());
        assertThat(acks).extracting(a -> a.get("eventId").asString()).containsExactlyElementsOf(expectedIds);
        assertThat(acks).filteredOn(a -> a.get("status").asString().equals("rejected"))
                .hasSize(10).allSatisfy(a -> assertThat(a.get("error").asString()).startsWith("eventType:"));
        Set<String> accepted = acceptedIds(acks);
        assertThat(accepted).hasSize(100);
        assertThat(orderIdsInKafka(accepted)).containsAll(accepted);
    }

    @Test
    void shouldLoseNoAckedEventWhenClientDisconnectsMidStream() {
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            frames.add(order("cut" + i));
        }
        List<JsonNode> acks = stream(frames, 40);

        Set<String> accepted = acceptedIds(acks);
        assertThat(accepted).hasSize(40);
        assertThat(orderIdsInKafka(accepted)).containsAll(accepted);
    }

    @Test
    void shouldAcceptWebSocketMessageLargerThanNettyDefaultWhenWithinBodyLimit() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            lines.add(order("big" + i));
        }
        String frame = String.join("\n", lines);
        assertThat(frame.length()).isGreaterThan(65_536);

        List<JsonNode> acks = stream(List.of(frame), 500);

        assertThat(acceptedIds(acks)).hasSize(500);
    }

    @Test
    void shouldRefuseWebSocketHandshakeWhenKeyIsMissing() {
        client().get().uri("/v1/events/ws").exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("urn:streamfleet:problem:unauthenticated");
    }

    @Test
    void shouldExposeGatewayResilienceProducerAndRouteMetricsWhenScraped() {
        client().post().uri("/v1/orders").header(HttpHeaders.AUTHORIZATION, "Bearer " + SECRET)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(order("m1")).exchange().expectStatus().isAccepted();
        String scrape = client().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(scrape).contains("streamfleet_gateway_events_accepted_total",
                "streamfleet_gateway_request_latency_seconds_bucket",
                "streamfleet_gateway_publish_latency_seconds_bucket", "streamfleet_gateway_inflight_events",
                "streamfleet_gateway_batch_size_events", "streamfleet_gateway_websocket_connections",
                "resilience4j_circuitbreaker_state", "resilience4j_bulkhead_available_concurrent_calls",
                "kafka_producer_record_send_total");
        assertThat(scrape).as("the functional route is the uri tag of http.server.requests; no long-task timer")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"POST\"[^}]*uri=\"/v1/orders\"")
                .doesNotContain("http_server_requests_active");
        client().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    /** Streams frames over one connection and returns the first {@code acks} acks, then disconnects. */
    private List<JsonNode> stream(List<String> frames, int acks) {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + SECRET);
        new ReactorNettyWebSocketClient().execute(URI.create("ws://localhost:" + port + "/v1/events/ws"), headers,
                session -> {
                    // sending runs on its own; the client disconnects as soon as it has the acks it wants
                    session.send(Flux.fromIterable(frames).map(session::textMessage)).subscribe(ok -> { }, e -> { });
                    Mono<Void> receive = session.receive().map(WebSocketMessage::getPayloadAsText)
                            .map(text -> ContractMapper.shared().readTree(text))
                            .doOnNext(received::add).take(acks).then();
                    return receive.then(session.close());
                }).block(Duration.ofSeconds(60));
        return received;
    }

    private static Set<String> acceptedIds(List<JsonNode> acks) {
        return acks.stream().filter(a -> a.get("status").asString().equals("accepted"))
                .map(a -> a.get("eventId").asString()).collect(Collectors.toSet());
    }

    private static Set<String> orderIdsInKafka(Set<String> wanted) {
        return TopicProbe.readUntil(Topics.ORDERS_RAW, Duration.ofSeconds(15),
                        read -> read.stream().map(r -> r.value().eventId()).collect(Collectors.toSet())
                                .containsAll(wanted))
                .stream().map(r -> r.value().eventId()).collect(Collectors.toSet());
    }
}
