package io.streamfleet.gateway;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.topic.Topic;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.gateway.intake.Bodies;
import io.streamfleet.gateway.warmup.WarmUpKey;
import io.streamfleet.gateway.warmup.WarmUpReport;
import io.streamfleet.gateway.warmup.WarmUpResult;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.TopicProbe;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Mono;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The self-warm-up against the shared real broker, the gateway started by the test so its probes can be watched
 * from the first moment: readiness stays DOWN (liveness UP) until the warm-up ended, a real request sent meanwhile is
 * published as usual, the warm-up's events are all in its own topic and none in a domain topic, and after it the
 * gateway serves real requests and counts only them.
 */
@WithKafkaBroker
class SelfWarmUpIT {

    private static final String SECRET = "warm-up-it-secret";
    private static final int REQUESTS = 300;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String WARM_UP_TOPIC = "gateway.warm-up.it-" + RUN;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static ConfigurableApplicationContext context;
    private static int port;
    /** nanoTime of the first readiness 200, of the last readiness non-200 seen while liveness was 200 */
    private static final AtomicLong firstReady = new AtomicLong(Long.MIN_VALUE);
    private static final AtomicLong lastNotReadyWhileLive = new AtomicLong(Long.MIN_VALUE);
    private static final AtomicReference<Integer> duringWarmUpStatus = new AtomicReference<>();

    @BeforeAll
    static void startGatewayAndWatchItsProbes() throws Exception {
        port = freePort();
        CompletableFuture<ConfigurableApplicationContext> started = CompletableFuture.supplyAsync(() ->
                new SpringApplicationBuilder(IngestGatewayApplication.class).run(
                        // command-line arguments: they take precedence over application.yaml
                        "--server.port=" + port,
                        "--streamfleet.kafka.bootstrap-servers=" + SharedKafkaBroker.bootstrapServers(),
                        "--streamfleet.security.keys[0].id=it",
                        "--streamfleet.security.keys[0].sha256=" + ApiKeyAuthenticator.sha256Hex(SECRET),
                        "--streamfleet.security.keys[0].scopes[0]=events:write",
                        "--streamfleet.gateway.warm-up.enabled=true",
                        "--streamfleet.gateway.warm-up.requests=" + REQUESTS,
                        "--streamfleet.gateway.warm-up.max-time=90s",
                        "--streamfleet.gateway.warm-up.concurrency=4",
                        // to the request budget, so the counts below are exact (the settle rule: WarmUpDriverTest)
                        "--streamfleet.gateway.warm-up.settle.enabled=false",
                        // on a saturated test machine the cold producer's first answers can take over half a second;
                        // admission would then refuse some warm-up sends (rightly, counted as failed steps), which
                        // is not what this test is about: the counts below assume every step goes through
                        "--streamfleet.gateway.publish.max-hold=20s",
                        "--streamfleet.gateway.warm-up.topic=" + WARM_UP_TOPIC));
        while (!started.isDone()) {
            Integer ready = status("/actuator/health/readiness");
            Integer live = status("/actuator/health/liveness");
            long now = System.nanoTime();
            if (ready != null && ready == 200) {
                firstReady.compareAndSet(Long.MIN_VALUE, now);
            } else if (ready != null && live != null && live == 200) {
                lastNotReadyWhileLive.set(now);
                if (duringWarmUpStatus.get() == null) {
                    // a client's real request while the warm-up runs: the real route is served as always
                    duringWarmUpStatus.set(post("/v1/orders", "Bearer " + SECRET, Bodies.order(RUN + "-during",
                            "acc-" + RUN, "AAPL", System.currentTimeMillis())));
                }
            }
            Thread.sleep(20);
        }
        context = started.get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 100 && firstReady.get() == Long.MIN_VALUE; i++) {
            if (Integer.valueOf(200).equals(status("/actuator/health/readiness"))) {
                firstReady.set(System.nanoTime());
            }
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void shouldReportReadyOnlyAfterTheWarmUpEndedWhileLivenessWasUpThroughout() {
        WarmUpReport report = context.getBean(WarmUpReport.class);

        assertThat(report.last().sent()).isEqualTo(REQUESTS);
        assertThat(report.last().ok()).isEqualTo(REQUESTS);
        assertThat(report.last().stopped()).isEqualTo(WarmUpResult.Stop.REQUESTS);
        assertThat(lastNotReadyWhileLive.get()).as("readiness seen DOWN while liveness was UP")
                .isNotEqualTo(Long.MIN_VALUE);
        assertThat(firstReady.get()).as("readiness seen UP").isNotEqualTo(Long.MIN_VALUE);
        assertThat(firstReady.get()).isGreaterThanOrEqualTo(report.endedNanos());
        assertThat(lastNotReadyWhileLive.get()).isLessThan(firstReady.get());
    }

    @Test
    void shouldSendEveryWarmUpEventToItsOwnTopicAndNoneToADomainTopic() {
        // of every 10 requests, 8 carry one order, one an array of ten, one is a WebSocket session of 7 messages
        // with one order and one with 5 NDJSON lines
        int webSocketEvents = REQUESTS / 10 * (7 + 5);
        int events = REQUESTS / 10 * 8 + REQUESTS / 10 * 10 + webSocketEvents;
        Topic<String, byte[]> warmUpTopic = new Topic<>(WARM_UP_TOPIC, Serdes.String(), Serdes.ByteArray());
        List<ConsumerRecord<String, byte[]>> warmUp = TopicProbe.readAtLeast(warmUpTopic, events,
                Duration.ofSeconds(20));
        assertThat(warmUp).hasSize(events);
        assertThat(warmUp).allSatisfy(r -> assertThat(new String(r.value())).contains(WarmUpKey.ID + "-"));
        assertThat(warmUp).filteredOn(r -> new String(r.value()).contains("\"" + WarmUpKey.ID + "-ws-"))
                .hasSize(webSocketEvents);

        List<ConsumerRecord<String, OrderEvent>> orders = TopicProbe.readUntil(Topics.ORDERS_RAW,
                Duration.ofSeconds(10), read -> read.stream().anyMatch(r -> r.value().eventId().equals(RUN + "-during")));
        List<ConsumerRecord<String, EngagementEvent>> engagement = TopicProbe.readAll(Topics.ENGAGEMENT_RAW,
                Duration.ofMillis(700));
        assertThat(orders).noneMatch(r -> r.value().eventId().startsWith(WarmUpKey.ID));
        assertThat(engagement).noneMatch(r -> r.value().eventId().startsWith(WarmUpKey.ID));
    }

    @Test
    void shouldPublishRealRequestsDuringAndAfterTheWarmUpAndCountOnlyThem() throws Exception {
        assertThat(duringWarmUpStatus.get()).as("a real request while the warm-up ran").isEqualTo(202);
        assertThat(post("/v1/orders", "Bearer " + SECRET, Bodies.order(RUN + "-after", "acc-" + RUN, "AAPL",
                System.currentTimeMillis()))).isEqualTo(202);

        List<ConsumerRecord<String, OrderEvent>> orders = TopicProbe.readUntil(Topics.ORDERS_RAW,
                Duration.ofSeconds(10), read -> read.stream().anyMatch(r -> r.value().eventId().equals(RUN + "-after")));
        assertThat(orders).extracting(r -> r.value().eventId()).contains(RUN + "-during", RUN + "-after");

        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("streamfleet_gateway_warm_up_requests{application=\"ingest-gateway\",outcome=\"ok\"} "
                + REQUESTS + ".0");
        assertThat(metrics).contains("streamfleet_gateway_warm_up_requests{application=\"ingest-gateway\",outcome=\"failed\"} 0.0");
        assertThat(metrics).contains("streamfleet_gateway_warm_up_stopped{application=\"ingest-gateway\",reason=\"requests\"} 1.0")
                .contains("streamfleet_gateway_warm_up_stopped{application=\"ingest-gateway\",reason=\"settled\"} 0.0")
                .contains("streamfleet_gateway_warm_up_stopped{application=\"ingest-gateway\",reason=\"time\"} 0.0");
        assertThat(metrics).containsPattern("streamfleet_gateway_warm_up_duration_seconds\\{[^}]*} [1-9]|"
                + "streamfleet_gateway_warm_up_duration_seconds\\{[^}]*} 0\\.[0-9]*[1-9]");
        // only the two real requests count as accepted: no warm-up event is in the gateway's event meters
        assertThat(metrics).containsPattern(
                "streamfleet_gateway_events_accepted_total\\{[^}]*channel=\"http\"[^}]*kind=\"order\"[^}]*} 2\\.0");
    }

    @Test
    void shouldForgetTheWarmUpKeySoItOpensNothingAfterwards() throws Exception {
        WarmUpKey key = context.getBean(WarmUpKey.class);

        assertThatThrownBy(key::bearer).isInstanceOf(IllegalStateException.class);
        assertThat(post("/v1/orders/dry-run", "Bearer " + SECRET, Bodies.order(RUN + "-dry", "acc-" + RUN, "AAPL",
                System.currentTimeMillis()))).isEqualTo(200);
        List<ConsumerRecord<String, OrderEvent>> orders = TopicProbe.readAll(Topics.ORDERS_RAW, Duration.ofMillis(700));
        assertThat(orders).noneMatch(r -> r.value().eventId().equals(RUN + "-dry"));
    }

    @Test
    void shouldAckTheWebSocketDryRunLikeTheRealSocketButPublishNothing() {
        String id = RUN + "-ws-dry";
        List<String> acks = new CopyOnWriteArrayList<>();
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + SECRET);
        new ReactorNettyWebSocketClient().execute(URI.create("ws://127.0.0.1:" + port + "/v1/events/ws/dry-run"),
                headers, session -> {
                    String frame = Bodies.order(id, "acc-" + RUN, "AAPL", System.currentTimeMillis()) + "\n"
                            + "{\"kind\":\"order\"}";
                    Mono<Void> receive = session.receive().map(WebSocketMessage::getPayloadAsText)
                            .doOnNext(acks::add).take(2).then();
                    return session.send(Mono.just(session.textMessage(frame))).then(receive).then(session.close());
                }).block(Duration.ofSeconds(20));

        assertThat(acks).hasSize(2);
        assertThat(acks.get(0)).contains("\"eventId\":\"" + id + "\"", "\"status\":\"accepted\"");
        assertThat(acks.get(1)).contains("\"status\":\"rejected\"");
        List<ConsumerRecord<String, OrderEvent>> orders = TopicProbe.readAll(Topics.ORDERS_RAW, Duration.ofMillis(700));
        assertThat(orders).noneMatch(r -> r.value().eventId().equals(id));
    }

    @Test
    void shouldRefuseTheWebSocketDryRunHandshakeWithoutAKey() throws Exception {
        // the guard answers before the upgrade, as on the real socket
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v1/events/ws/dry-run"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("urn:streamfleet:problem:unauthenticated");
    }

    private static String base() {
        return "http://127.0.0.1:" + port;
    }

    private static Integer status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return null; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int post(String path, String bearer, String body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20))
                    .header("Authorization", bearer).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
