package io.streamfleet.alerts.it;

import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.testkit.kafka.TopicProbe;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.util.List;
import java.util.Map;

import static io.streamfleet.alerts.TestAlerts.anomaly;

/** Produces alerts to the real broker, with the ingestion header as the pipeline sets it. */
final class Alerts {

    private Alerts() {
    }

    static void send(List<AnomalyAlert> alerts) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(System.currentTimeMillis()));
        TopicProbe.sendAll(Topics.ALERTS_ANOMALY, alerts.stream().map(a -> Map.entry(a.key(), a)).toList(), headers);
    }

    static void sendEngagement(EngagementAlert alert) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(System.currentTimeMillis()));
        TopicProbe.sendAll(Topics.ALERTS_ENGAGEMENT, List.of(Map.entry(alert.key(), alert)), headers);
    }

    /** {@code count} anomaly alerts of one account, ids {@code <prefix>-<from>...}, detection times increasing. */
    static List<AnomalyAlert> series(String prefix, String accountId, String symbol, int from, int count) {
        long base = System.currentTimeMillis();
        return java.util.stream.IntStream.range(from, from + count)
                .mapToObj(i -> anomaly(prefix + "-" + i, accountId, symbol, base + i)).toList();
    }
}
