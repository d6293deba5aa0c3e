package io.streamfleet.cep;

import io.streamfleet.cep.support.Orders;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.evidence.AlertEvidence;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.id.AlertIds;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.testkit.kafka.StreamTimeMarks;
import io.streamfleet.testkit.kafka.TopicProbe;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import io.streamfleet.testkit.process.ServiceProcess;
import io.streamfleet.testkit.process.ServiceProcesses;
import io.streamfleet.testkit.process.StreamsServiceJar;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
    private static final Duration READY = Duration.ofSeconds(90);
    /** Event time between rounds of episodes, and from a round's start to its mark (past every deadline). */
    private static final long ROUND_MS = 20_000;
    private static final long ROUND_MARK_MS = 10_000;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    final ServiceProcesses processes = new ServiceProcesses();

    @TempDir
    Path stateDir;

    @Test
    void shouldEmitEachEpisodeExactlyOnceWhenServiceIsKilledMidStreamAndRestarted() throws Exception {
        String appId = "cep-it-" + runId;
        ServiceProcess first = start(appId, "first").awaitReady(READY);

        long base = System.currentTimeMillis();
        Map<String, Long> expected = new HashMap<>();
        send(episodes(0, 6, base, expected));
        StreamTimeMarks.markEveryPartition(Topics.ORDERS_CLEAN.name(), base + ROUND_MARK_MS);
        awaitAlerts(6, Duration.ofSeconds(60));

        long second = base + ROUND_MS;
        send(episodes(6, 9, second, expected));
        StreamTimeMarks.markEveryPartition(Topics.ORDERS_CLEAN.name(), second + ROUND_MARK_MS);
        first.kill();
        long third = base + 2 * ROUND_MS;
        send(episodes(9, 12, third, expected));
        StreamTimeMarks.markEveryPartition(Topics.ORDERS_CLEAN.name(), third + ROUND_MARK_MS);

        ServiceProcess restarted = start(appId, "second").awaitReady(READY);
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
        assertThat(restarted.get("/actuator/prometheus").body()).contains("streamfleet_cep_alerts_total",
                "streamfleet_cep_evidence_orders_total", "streamfleet_cep_evidence_truncated_total",
                "streamfleet_cep_events_total{", "streamfleet_cep_late_events_total", "streamfleet_cep_keys",
                "streamfleet_cep_buffered_events", "streamfleet_cep_pending_candidates",
                "streamfleet_cep_watermark_lag_ms", "streamfleet_cep_evaluation_seconds_bucket",
                "streamfleet_cep_progress_marks_total{", "streamfleet_cep_progress_invalid_total{",
                "streamfleet_cep_stream_time_lag_ms{", "streamfleet_cep_stream_time_ms{");
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

    private ServiceProcess start(String appId, String name) {
        return processes.start(StreamsServiceJar.onSharedBroker(JAR, appId, stateDir)
                .name("cep-it-" + runId + "-" + name));
    }
}
