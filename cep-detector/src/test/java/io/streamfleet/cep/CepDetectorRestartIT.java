package io.streamfleet.cep;

import io.streamfleet.cep.support.Orders;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.evidence.AlertEvidence;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.id.AlertIds;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.TopicProbe;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service against the real broker: injected episodes give exactly one alert each, also when the
 * service is killed with SIGKILL mid-stream and restarted (exactly-once: nothing lost, nothing duplicated). Nothing
 * but the log moves time: after each round of episodes the test writes a stream-time mark to every partition of
 * orders.clean, as stream-processor does, and each alert's detection time is the time of the mark that fired it.
 */
@WithKafkaBroker
class CepDetectorRestartIT {

    private static final Path JAR = Path.of("target", "cep-detector-exec.jar");
    /** Event time between rounds of episodes, and from a round's start to its mark (past every deadline). */
    private static final long ROUND_MS = 20_000;
    private static final long ROUND_MARK_MS = 10_000;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path stateDir;

    @AfterEach
    void stopProcesses() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void shouldEmitEachEpisodeExactlyOnceWhenServiceIsKilledMidStreamAndRestarted() throws Exception {
        String appId = "cep-it-" + runId;
        int port = freePort();
        Process first = start(appId, port, "first");
        awaitReady(port, first);

        long base = System.currentTimeMillis();
        Map<String, Long> expected = new HashMap<>();
        send(episodes(0, 6, base, expected));
        mark(base + ROUND_MARK_MS);
        awaitAlerts(6, Duration.ofSeconds(60));

        long second = base + ROUND_MS;
        send(episodes(6, 9, second, expected));
        mark(second + ROUND_MARK_MS);
        first.destroyForcibly().waitFor();
        long third = base + 2 * ROUND_MS;
        send(episodes(9, 12, third, expected));
        mark(third + ROUND_MARK_MS);

        Process restarted = start(appId, port, "second");
        awaitReady(port, restarted);
        awaitAlerts(expected.size(), Duration.ofSeconds(90));
        List<ConsumerRecord<String, AnomalyAlert>> alerts = mine(TopicProbe.readAll(Topics.ALERTS_ANOMALY,
                Duration.ofSeconds(3)));

        assertThat(alerts).extracting(r -> r.value().alertId()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(alerts).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(r.value().key());
            assertThat(r.value().detectedAtMs()).as("the mark that fired it").isEqualTo(expected.get(r.value().alertId()));
            assertThat(r.timestamp()).isEqualTo(r.value().detectedAtMs());
        });
        // the evidence commits with its alert: exactly one record per alert, keyed alike, with the alert's counts
        Map<String, AnomalyAlert> byId = new HashMap<>();
        alerts.forEach(r -> byId.put(r.value().alertId(), r.value()));
        List<ConsumerRecord<String, AlertEvidence>> evidence = TopicProbe.readAll(Topics.ALERTS_EVIDENCE,
                Duration.ofSeconds(3)).stream().filter(r -> r.value().accountId().startsWith("it-" + runId)).toList();
        assertThat(evidence).extracting(r -> r.value().alertId()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(evidence).allSatisfy(r -> {
            AnomalyAlert alert = byId.get(r.value().alertId());
            assertThat(r.key()).isEqualTo(alert.key());
            assertThat(r.value().totalCreated()).isEqualTo(alert.created());
            assertThat(r.value().totalCanceled()).isEqualTo(alert.canceled());
            assertThat(r.value().orders()).hasSize(alert.created() + alert.canceled());
        });
        assertThat(get(port, "/actuator/prometheus")).contains("streamfleet_cep_alerts_total",
                "streamfleet_cep_evidence_orders_total", "streamfleet_cep_evidence_truncated_total",
                "streamfleet_cep_events_total{", "streamfleet_cep_late_events_total", "streamfleet_cep_keys",
                "streamfleet_cep_buffered_events", "streamfleet_cep_pending_candidates",
                "streamfleet_cep_watermark_lag_ms", "streamfleet_cep_evaluation_seconds_bucket",
                "streamfleet_cep_progress_marks_total{", "streamfleet_cep_progress_invalid_total{",
                "streamfleet_cep_stream_time_lag_ms{", "streamfleet_cep_stream_time_ms{");
    }

    /** stream-processor's part: a stream-time mark into every partition of orders.clean, after the data sent so far. */
    private static void mark(long streamTimeMs) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafkaBroker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (var producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (PartitionInfo partition : producer.partitionsFor(Topics.ORDERS_CLEAN.name())) {
                acks.add(producer.send(ProgressRecords.record(Topics.ORDERS_CLEAN.name(), partition.partition(),
                        ProgressMark.streamTime("stream-processor", streamTimeMs))));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
    }

    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * Episodes {@code from..to-1}, one key each, starting at {@code base}; remembers their alert ids with the
     * detection time they must get: the time of the round's mark.
     */
    private List<OrderEvent> episodes(int from, int to, long base, Map<String, Long> expected) {
        List<OrderEvent> events = new ArrayList<>();
        for (int k = from; k < to; k++) {
            Orders orders = Orders.forKey("it-" + runId + "-" + k, "SYM");
            long start = base + k * 7L;
            orders.creates(10, start, 10, 10.00, 10.01, 10.02).filled(start + 95).cancels(8, start + 100, 10);
            List<OrderEvent> built = orders.build();
            expected.put(AlertIds.anomaly(built.get(0).accountId(), "SYM", start, built.get(0).eventId()),
                    base + ROUND_MARK_MS);
            events.addAll(built);
        }
        return events;
    }

    private static void send(List<OrderEvent> events) {
        List<Map.Entry<String, OrderEvent>> records = events.stream().map(e -> Map.entry(e.key(), e)).toList();
        TopicProbe.sendAll(Topics.ORDERS_CLEAN, records, new RecordHeaders());
    }

    private List<ConsumerRecord<String, AnomalyAlert>> mine(List<ConsumerRecord<String, AnomalyAlert>> records) {
        return records.stream().filter(r -> r.value().accountId().startsWith("it-" + runId)).toList();
    }

    private void awaitAlerts(int count, Duration timeout) {
        TopicProbe.readUntil(Topics.ALERTS_ANOMALY, timeout, read -> mine(read).size() >= count);
    }

    private Process start(String appId, int port, String name) throws IOException {
        Path log = Path.of("target", "cep-it-" + runId + "-" + name + ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", JAR.toString(),
                "--server.port=" + port,
                "--streamfleet.kafka.bootstrap-servers=" + SharedKafkaBroker.bootstrapServers(),
                "--streamfleet.streams.application-id=" + appId,
                "--streamfleet.streams.state-dir=" + stateDir,
                "--streamfleet.streams.overrides.session.timeout.ms=6000",
                "--streamfleet.streams.overrides.heartbeat.interval.ms=1000")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(process);
        return process;
    }

    private static void awaitReady(int port, Process process) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("service process alive").isTrue();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("service not ready on port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
