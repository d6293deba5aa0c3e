package io.streamfleet.cep.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.cep.operator.CepMetrics;
import io.streamfleet.cep.operator.DetectorSettings;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.evidence.AlertEvidence;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.contracts.topic.Topics;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;

/**
 * The detector topology in a {@link TopologyTestDriver} with in-memory stores and a mock wall clock. Time moves only
 * by what is piped: orders and, like stream-processor writes them into orders.clean, stream-time progress records.
 */
final class DriverHarness implements AutoCloseable {

    static final Instant WALL_START = Instant.parse("2026-01-01T00:00:00Z");
    static final String UPSTREAM = "stream-processor";
    /** How far past the newest order {@link #settle()} moves stream time: beyond every deadline and expiry. */
    static final long SETTLE_MS = 30_000;

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    final TestInputTopic<String, OrderEvent> orders;
    final TestInputTopic<byte[], byte[]> raw;
    final TestOutputTopic<String, AnomalyAlert> alerts;
    final TestOutputTopic<String, OrderEvent> late;
    final TestOutputTopic<String, AlertEvidence> evidence;
    private long newestEventTime = Long.MIN_VALUE;

    DriverHarness() {
        this(DetectorSettings.defaults());
    }

    DriverHarness(DetectorSettings settings) {
        this(settings, CepTopology.DEFAULT_EVIDENCE_ORDERS);
    }

    DriverHarness(DetectorSettings settings, int maxEvidenceOrders) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cep-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        CepMetrics metrics = new CepMetrics(registry, Clock.fixed(WALL_START, ZoneOffset.UTC),
                Topics.ORDERS_CLEAN.name());
        CepTopology.Settings topics = new CepTopology.Settings(Topics.ORDERS_CLEAN.name(),
                Topics.ALERTS_ANOMALY.name(), Topics.ORDERS_CEP_LATE.name(), false, Topics.ALERTS_EVIDENCE.name(),
                maxEvidenceOrders);
        driver = new TopologyTestDriver(CepTopology.build(topics, settings, metrics), props, WALL_START);
        orders = driver.createInputTopic(Topics.ORDERS_CLEAN.name(), Topics.KEY.serializer(),
                Topics.ORDER_EVENT_SERDE.serializer());
        raw = driver.createInputTopic(Topics.ORDERS_CLEAN.name(), new ByteArraySerializer(),
                new ByteArraySerializer());
        alerts = driver.createOutputTopic(Topics.ALERTS_ANOMALY.name(), Topics.KEY.deserializer(),
                Topics.ANOMALY_ALERT_SERDE.deserializer());
        late = driver.createOutputTopic(Topics.ORDERS_CEP_LATE.name(), Topics.KEY.deserializer(),
                Topics.ORDER_EVENT_SERDE.deserializer());
        evidence = driver.createOutputTopic(Topics.ALERTS_EVIDENCE.name(), Topics.KEY.deserializer(),
                Topics.ALERT_EVIDENCE_SERDE.deserializer());
    }

    void pipe(List<OrderEvent> events) {
        for (OrderEvent event : events) {
            pipe(event, -1);
        }
    }

    void pipe(OrderEvent event, long ingestedAtMs) {
        RecordHeaders headers = new RecordHeaders();
        if (ingestedAtMs >= 0) {
            headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(ingestedAtMs));
        }
        newestEventTime = Math.max(newestEventTime, event.eventTimeMs());
        orders.pipeInput(new TestRecord<>(event.key(), event, headers, event.eventTimeMs()));
    }

    /** stream-processor's stream-time mark for the partition, as it writes it: null key and value, mark in headers. */
    void progress(long streamTimeMs) {
        progress(ProgressMark.streamTime(UPSTREAM, streamTimeMs));
    }

    void progress(ProgressMark mark) {
        pipeRaw(null, ProgressRecords.headers(mark));
    }

    /** A record as bytes with the given headers (progress records with odd values, malformed marks). */
    void pipeRaw(byte[] value, org.apache.kafka.common.header.Headers headers) {
        raw.pipeInput(new TestRecord<>(null, value, headers, WALL_START));
    }

    /** A stream-time mark far past the newest order piped: every buffered candidate is decided, every key expires. */
    void settle() {
        progress(Math.max(newestEventTime, 0) + SETTLE_MS);
    }

    List<TestRecord<String, AnomalyAlert>> alertRecords() {
        return alerts.readRecordsToList();
    }

    List<AnomalyAlert> alerts() {
        return alerts.readValuesToList();
    }

    double meter(String name) {
        var meter = registry.find(name).meter();
        return meter == null ? Double.NaN : meter.measure().iterator().next().getValue();
    }

    @Override
    public void close() {
        driver.close();
    }
}
