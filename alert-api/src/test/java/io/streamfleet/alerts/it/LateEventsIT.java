package io.streamfleet.alerts.it;

import io.streamfleet.alerts.intake.TopicTail;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Late records as the stages write them (key, event, {@code sf-late-stage}, {@code sf-late-watermark-ms}) produced to
 * the three late topics of the real broker, read back through {@code /v1/late-events} and the Prometheus scrape of
 * two alert-api instances: each instance sees every late record (no consumer group); malformed records are counted
 * and skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LateEventsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String busy = "late-" + run + "|AAPL";
    private final String quiet = "late-" + run + "|MSFT";
    private final String user = "late-user-" + run;
    private RunningApp first;
    private RunningApp second;

    @BeforeAll
    void start() throws InterruptedException {
        SharedKafkaBroker.bootstrapServers();
        Map<String, Object> settings = Map.of("streamfleet.alerts.webhooks.group-id", "late-it-" + run,
                "streamfleet.alerts.late-events.gauge-refresh", "200ms",
                "streamfleet.alerts.late-events.gauge-top-keys", "2");
        first = RunningApp.start(settings);
        second = RunningApp.start(settings);
        // the late tails start at the topics' end: produce only once both have their start positions
        assertThat(first.bean("lateTail", TopicTail.class).awaitCaughtUp(WAIT)).isTrue();
        assertThat(second.bean("lateTail", TopicTail.class).awaitCaughtUp(WAIT)).isTrue();
    }

    @AfterAll
    void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void shouldShowEveryInstanceWhichKeysCameLateMostFirstWithExactCountsWhenStagesDivertedThem() {
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < 3; i++) {
                send(producer, "orders.late", busy, order(busy, now - 60_000 + i * 1_000), "stream-processor",
                        now - 50_000);
            }
            send(producer, "orders.cep.late", busy, order(busy, now - 30_000), "cep-detector", now - 29_000);
            send(producer, "orders.cep.late", quiet, order(quiet, now - 20_000), "cep-detector", now - 19_500);
            send(producer, "engagement.late", user, engagement(now - 300_000), "stream-processor", now - 150_000);
            send(producer, "engagement.late", user, engagement(now - 200_000), "session-analytics", now - 70_000);
            // malformed: not JSON, and a record without the stage header
            send(producer, "orders.cep.late", quiet, "{oops".getBytes(StandardCharsets.UTF_8), "cep-detector",
                    now);
            send(producer, "orders.late", busy, order(busy, now), null, now);
            producer.flush();
        }

        for (RunningApp app : new RunningApp[]{first, second}) {
            await().atMost(WAIT).until(() -> late(app, "?key=" + encode(busy)).path("matching").asInt() == 2
                    && late(app, "?key=" + encode(quiet)).path("matching").asInt() == 1
                    && late(app, "?key=" + user).path("matching").asInt() == 2);

            JsonNode busyKey = late(app, "?key=" + encode(busy));
            JsonNode top = busyKey.path("items").get(0);
            assertThat(top.path("topic").asString()).isEqualTo("orders.late");
            assertThat(top.path("stage").asString()).isEqualTo("stream-processor");
            assertThat(top.path("count").asLong()).isEqualTo(3);
            assertThat(top.path("earliestEventTimeMs").asLong()).isEqualTo(now - 60_000);
            assertThat(top.path("latestEventTimeMs").asLong()).isEqualTo(now - 58_000);
            assertThat(top.path("maxBehindMs").asLong()).isEqualTo(10_000);
            assertThat(top.path("firstArrivalMs").asLong()).isBetween(now - 5_000, System.currentTimeMillis());
            JsonNode cep = busyKey.path("items").get(1);
            assertThat(cep.path("topic").asString()).isEqualTo("orders.cep.late");
            assertThat(cep.path("stage").asString()).isEqualTo("cep-detector");
            assertThat(cep.path("count").asLong()).isEqualTo(1);

            JsonNode engagement = late(app, "?topic=engagement.late&stage=stream-processor&key=" + user);
            assertThat(engagement.path("items")).hasSize(1);
            assertThat(engagement.path("items").get(0).path("maxBehindMs").asLong()).isEqualTo(150_000);
            JsonNode sessions = late(app, "?stage=session-analytics&key=" + user).path("items").get(0);
            assertThat(sessions.path("topic").asString()).isEqualTo("engagement.late");
            assertThat(sessions.path("earliestEventTimeMs").asLong()).isEqualTo(now - 200_000);

            JsonNode mostFirst = late(app, "?limit=1");
            assertThat(mostFirst.path("items")).hasSize(1);
            assertThat(mostFirst.path("items").get(0).path("key").asString()).isEqualTo(busy);

            await().atMost(WAIT).untilAsserted(() -> {
                String scrape = app.get("/actuator/prometheus", null).body();
                assertThat(keyGauge(scrape, "orders.late", "stream-processor", busy)).isEqualTo(3);
                assertThat(keyGauge(scrape, "orders.cep.late", "cep-detector", quiet)).isEqualTo(1);
                assertThat(keyGauge(scrape, "engagement.late", "session-analytics", user)).isEqualTo(1);
                assertThat(lateRecords(scrape, "orders.late")).isEqualTo(4);
                assertThat(lateRecords(scrape, "orders.cep.late")).isEqualTo(3);
                assertThat(lateRecords(scrape, "engagement.late")).isEqualTo(2);
                assertThat(scrape).contains("streamfleet_alerts_late_malformed_total{application=\"alert-api\","
                        + "reason=\"value\",topic=\"orders.cep.late\"} 1.0",
                        "streamfleet_alerts_late_malformed_total{application=\"alert-api\","
                                + "reason=\"stage\",topic=\"orders.late\"} 1.0",
                        "streamfleet_alerts_late_keys{application=\"alert-api\"} 5.0");
            });
        }
    }

    @Test
    void shouldAskForTheReadScopeAndNameTheBadParameterWhenTheRequestIsWrong() {
        assertThat(first.get("/v1/late-events", null).statusCode()).isEqualTo(401);
        assertThat(first.get("/v1/late-events", RunningApp.READER_KEY).statusCode()).isEqualTo(200);
        HttpResponse<String> bad = first.get("/v1/late-events?limit=0", RunningApp.READER_KEY);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("limit: must be an integer between 1 and 1000");
    }

    private static JsonNode late(RunningApp app, String query) {
        HttpResponse<String> response = app.get("/v1/late-events" + query, RunningApp.READER_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ContractMapper.shared().readTree(response.body());
    }

    /** The late records counted for one topic; -1 when the series is absent. */
    private static double lateRecords(String scrape, String topic) {
        return sample(scrape, "streamfleet_alerts_late_records_total{application=\"alert-api\",topic=\"" + topic
                + "\"}");
    }

    private static double keyGauge(String scrape, String topic, String stage, String key) {
        return sample(scrape, "streamfleet_alerts_late_key_events{application=\"alert-api\",key=\"" + key
                + "\",stage=\"" + stage + "\",topic=\"" + topic + "\"}");
    }

    private static double sample(String scrape, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static byte[] order(String key, long eventTimeMs) {
        String[] parts = key.split("\\|");
        OrderEvent event = new OrderEvent(UUID.randomUUID().toString(), parts[0], parts[1], OrderEventType.CREATED,
                "o-" + eventTimeMs, Side.BUY, 10.5, 1, eventTimeMs);
        return Topics.ORDER_EVENT_SERDE.serializer().serialize("orders.late", event);
    }

    private byte[] engagement(long eventTimeMs) {
        EngagementEvent event = new EngagementEvent(UUID.randomUUID().toString(), user, "c-1",
                EngagementEventType.VIEW_START, eventTimeMs, 0, false);
        return Topics.ENGAGEMENT_EVENT_SERDE.serializer().serialize("engagement.late", event);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value,
                             String stage, long watermarkMs) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(System.currentTimeMillis() - 1_000));
        if (stage != null) {
            headers.add(Headers.LATE_AT_STAGE, stage.getBytes(StandardCharsets.UTF_8));
        }
        headers.add(Headers.LATE_WATERMARK_MS, Headers.encodeLong(watermarkMs));
        producer.send(new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8), value, headers));
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafkaBroker.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer());
    }
}
