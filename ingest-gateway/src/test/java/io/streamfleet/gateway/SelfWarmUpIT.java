package io.streamfleet.gateway;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.gateway.http.SelfWarmUp;
import io.streamfleet.gateway.intake.Bodies;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.TopicProbe;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The self-warm-up against the shared real broker: its requests went through the gateway's HTTP path before the
 * context was ready, yet no warm-up event is in Kafka and no gateway meter counts one; afterwards its header opens
 * nothing.
 */
@WithKafkaBroker
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "streamfleet.gateway.warm-up.enabled=true", "streamfleet.gateway.warm-up.requests=300",
        "streamfleet.gateway.warm-up.concurrency=4", "streamfleet.gateway.warm-up.max-time=60s"})
class SelfWarmUpIT {

    private static final String SECRET = "warm-up-it-secret";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("streamfleet.kafka.bootstrap-servers", SharedKafkaBroker::bootstrapServers);
        registry.add("streamfleet.security.keys[0].id", () -> "it");
        registry.add("streamfleet.security.keys[0].sha256", () -> ApiKeyAuthenticator.sha256Hex(SECRET));
        registry.add("streamfleet.security.keys[0].scopes[0]", () -> "events:write");
    }

    @LocalServerPort
    int port;

    @Autowired
    SelfWarmUp selfWarmUp;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    @Test
    @Order(1)
    void shouldAnswerEveryWarmUpRequestBeforeReadyWithoutWritingToKafkaOrToTheGatewayMeters() {
        SelfWarmUp.Result warmUp = selfWarmUp.lastRun();
        assertThat(warmUp.sent()).isEqualTo(300);
        assertThat(warmUp.accepted()).isEqualTo(300);

        List<ConsumerRecord<String, OrderEvent>> orders = TopicProbe.readAll(Topics.ORDERS_RAW, Duration.ofMillis(700));
        assertThat(orders).noneMatch(r -> r.value().eventId().startsWith("warm-up-"));
        String metrics = client().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).doesNotContain("streamfleet_gateway_events_accepted_total{")
                .doesNotContain("streamfleet_gateway_request_latency_seconds_count{")
                .doesNotContain("uri=\"/v1/orders\"").doesNotContain("uri=\"/v1/events\"");
    }

    @Test
    @Order(2)
    void shouldGuardAndPublishARequestCarryingTheWarmUpHeaderOnceTheWarmUpIsOver() {
        client().post().uri("/v1/orders").header(SelfWarmUp.HEADER, "0123456789abcdef")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Bodies.order(run + "-h0", "acc-" + run, "AAPL", System.currentTimeMillis()))
                .exchange().expectStatus().isUnauthorized();

        client().post().uri("/v1/orders").header(SelfWarmUp.HEADER, "0123456789abcdef")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + SECRET).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Bodies.order(run + "-h1", "acc-" + run, "AAPL", System.currentTimeMillis()))
                .exchange().expectStatus().isAccepted();

        List<ConsumerRecord<String, OrderEvent>> orders = TopicProbe.readUntil(Topics.ORDERS_RAW,
                Duration.ofSeconds(10), read -> read.stream().anyMatch(r -> r.value().eventId().equals(run + "-h1")));
        assertThat(orders).extracting(r -> r.value().eventId()).contains(run + "-h1")
                .doesNotContain(run + "-h0");
    }
}
