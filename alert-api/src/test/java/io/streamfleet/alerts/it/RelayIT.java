package io.streamfleet.alerts.it;

import io.streamfleet.alerts.TestAlerts;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Relays through Spring Cloud Stream's real Kafka binder against the in-JVM broker: an alert record produced upstream
 * arrives on the relay topic byte for byte with CloudEvents headers, and a relay whose destination is down neither
 * holds up another relay nor the SSE feed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String account = "acc-relay-" + run;
    private final String relayTopic = "alerts.relay.it-" + run;
    private RunningApp app;

    @BeforeAll
    void start() throws IOException {
        SharedKafkaBroker.bootstrapServers();
        SharedKafkaBroker.createTopics(List.of(new NewTopic(relayTopic, SharedKafkaBroker.PARTITIONS, (short) 1)));
        Map<String, Object> settings = new HashMap<>();
        settings.put("streamfleet.alerts.webhooks.group-id", "relay-it-" + run);
        settings.put("streamfleet.relay.group-prefix", "relay-it-" + run + "-");
        settings.put("streamfleet.relay.initial-backoff", "200ms");
        settings.put("streamfleet.relay.max-backoff", "1s");
        settings.put("streamfleet.relay.bind-timeout", "1s");
        relay(settings, 0, "main", "relay-main");
        relay(settings, 1, "down", "relay-down");
        settings.put("spring.cloud.stream.default-binder", "main");
        settings.put("spring.cloud.stream.binders.main.type", "kafka");
        settings.put("spring.cloud.stream.binders.down.type", "kafka");
        String down = "spring.cloud.stream.binders.down.environment.spring.cloud.stream.kafka.binder.";
        settings.put(down + "brokers", "127.0.0.1:" + closedPort());
        settings.put(down + "auto-create-topics", "false");
        settings.put(down + "configuration.max.block.ms", "500");
        settings.put("spring.cloud.stream.bindings.relay-main.destination", relayTopic);
        settings.put("spring.cloud.stream.bindings.relay-down.destination", "alerts.relay.down");
        settings.put("spring.cloud.stream.bindings.relay-down.binder", "down");
        app = RunningApp.start(settings);
    }

    private void relay(Map<String, Object> settings, int index, String name, String binding) {
        String at = "streamfleet.relay.relays[" + index + "].";
        settings.put(at + "name", name);
        settings.put(at + "binding", binding);
        settings.put(at + "auto-offset-reset", "earliest");
        settings.put(at + "filters.account-id", account);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void shouldPutTheExactAlertBytesWithCloudEventsHeadersOnTheRelayTopicWhenAnAlertIsProducedUpstream() {
        AnomalyAlert alert = TestAlerts.anomaly("relay-" + run + "-1", account, "AAPL", System.currentTimeMillis());
        // as a detector wrote it, but with a key order and spacing a re-serialisation would change
        byte[] value = ("{\"note\" : \"" + alert.note() + "\",  " + ContractMapper.shared().writeValueAsString(alert)
                .substring(1)).getBytes(StandardCharsets.UTF_8);

        produce(alert.key(), value);

        ConsumerRecord<byte[], byte[]> relayed = readOne(relayTopic, alert.alertId());
        assertThat(relayed.value()).isEqualTo(value);
        assertThat(new String(relayed.key(), StandardCharsets.UTF_8)).isEqualTo(alert.key());
        assertThat(header(relayed, "ce_id")).isEqualTo(alert.alertId());
        assertThat(header(relayed, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(relayed, "ce_type")).isEqualTo("io.streamfleet.alert.burst_create_mass_cancel");
        assertThat(header(relayed, "ce_source")).isEqualTo("/streamfleet/alert-api");
        assertThat(header(relayed, "ce_time")).isEqualTo(
                java.time.Instant.ofEpochMilli(alert.detectedAtMs()).toString());
        assertThat(header(relayed, "content-type")).isEqualTo("application/json");
    }

    @Test
    void shouldKeepTheOtherRelayAndTheSseFeedFlowingWhenOneRelaysDestinationIsDown() throws Exception {
        AnomalyAlert alert = TestAlerts.anomaly("relay-" + run + "-2", account, "MSFT", System.currentTimeMillis());
        try (SseClient feed = SseClient.open(app.uri("/v1/alerts/stream?accountId=" + account), RunningApp.DEV_KEY,
                null)) {
            await().atMost(WAIT).until(() -> feed.status() == 200);

            produce(alert.key(), ContractMapper.shared().writeValueAsBytes(alert));

            assertThat(feed.next(WAIT).data()).contains(alert.alertId());
            assertThat(readOne(relayTopic, alert.alertId()).value())
                    .isEqualTo(ContractMapper.shared().writeValueAsBytes(alert));
            // the Kafka binder keeps retrying to provision the unreachable topic (on a thread of the down relay's
            // own); each send waits bind-timeout for it, fails and is retried after the backoff
            await().atMost(WAIT).untilAsserted(() -> assertThat(counter("streamfleet.relay.failed",
                    "down")).isGreaterThanOrEqualTo(2));
            assertThat(counter("streamfleet.relay.sent", "down")).isZero();
            assertThat(counter("streamfleet.relay.sent", "main")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void shouldFailStartUpNamingTheBindingWhenARelayNamesABindingWithoutDestination() {
        assertThatThrownBy(() -> RunningApp.start(Map.of(
                "streamfleet.alerts.webhooks.group-id", "relay-it-bad-" + run,
                "streamfleet.relay.relays[0].name", "typo",
                "streamfleet.relay.relays[0].binding", "relay-typo")).close())
                .rootCause()
                .hasMessageContaining("relay 'typo' names binding 'relay-typo', which has no destination")
                .hasMessageContaining("spring.cloud.stream.bindings.relay-typo.destination");
    }

    private double counter(String name, String relay) {
        var found = app.meters().find(name).tag("relay", relay).counter();
        return found == null ? 0 : found.count();
    }

    private static void produce(String key, byte[] value) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.ALERTS_ANOMALY.name(), key.getBytes(StandardCharsets.UTF_8),
                    value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ConsumerRecord<byte[], byte[]> readOne(String topic, String alertId) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafkaBroker.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "relay-it-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (alertId.equals(header(record, "ce_id"))) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no record with ce_id " + alertId + " on " + topic + " within " + WAIT);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
