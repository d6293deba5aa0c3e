package io.streamfleet.session.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.session.baseline.Baseline;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;

/**
 * The session topology in a {@link TopologyTestDriver} with a mock wall clock. Stream time moves only by what is
 * piped: events, and {@link #progress(long) stream-time marks} as stream-processor writes them.
 */
final class SessionDriver implements AutoCloseable {

    static final Instant WALL_START = Instant.parse("2026-01-01T00:00:00Z");
    /** The writer of the stream-time marks on engagement.clean. */
    static final String UPSTREAM = "stream-processor";

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    final TestInputTopic<String, EngagementEvent> input;
    final TestInputTopic<byte[], byte[]> rawInput;
    final TestOutputTopic<String, EngagementSession> sessions;
    final TestOutputTopic<String, EngagementAlert> alerts;
    final TestOutputTopic<String, EngagementEvent> late;

    SessionDriver() {
        this(SessionSettings.defaults(), false);
    }

    SessionDriver(SessionSettings settings, boolean persistentStores) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "session-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, tempDir());
        SessionTopology.TopicNames names = SessionTopology.TopicNames.defaults();
        names = new SessionTopology.TopicNames(names.inputTopic(), names.sessionsTopic(), names.alertsTopic(),
                names.lateTopic(), persistentStores);
        SessionMetrics metrics = new SessionMetrics(registry, Clock.fixed(WALL_START, ZoneOffset.UTC));
        driver = new TopologyTestDriver(SessionTopology.build(names, settings, metrics), props, WALL_START);
        input = driver.createInputTopic(names.inputTopic(), Topics.KEY.serializer(),
                Topics.ENGAGEMENT_EVENT_SERDE.serializer());
        rawInput = driver.createInputTopic(names.inputTopic(), new ByteArraySerializer(), new ByteArraySerializer());
        sessions = driver.createOutputTopic(names.sessionsTopic(), Topics.KEY.deserializer(),
                Topics.ENGAGEMENT_SESSION_SERDE.deserializer());
        alerts = driver.createOutputTopic(names.alertsTopic(), Topics.KEY.deserializer(),
                Topics.ENGAGEMENT_ALERT_SERDE.deserializer());
        late = driver.createOutputTopic(names.lateTopic(), Topics.KEY.deserializer(),
                Topics.ENGAGEMENT_EVENT_SERDE.deserializer());
    }

    private static String tempDir() {
        try {
            return Files.createTempDirectory("session-ttd").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void pipe(EngagementEvent... events) {
        for (EngagementEvent event : events) {
            pipe(event, -1);
        }
    }

    void pipe(List<EngagementEvent> events) {
        events.forEach(e -> pipe(e, -1));
    }

    void pipe(EngagementEvent event, long ingestedAtMs) {
        RecordHeaders headers = new RecordHeaders();
        if (ingestedAtMs >= 0) {
            headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(ingestedAtMs));
        }
        input.pipeInput(new TestRecord<>(event.userId(), event, headers, event.eventTimeMs()));
    }

    /** Pipes stream-processor's stream-time mark {@code streamTimeMs}: null key and value, the mark in headers. */
    void progress(long streamTimeMs) {
        progress(ProgressMark.streamTime(UPSTREAM, streamTimeMs));
    }

    void progress(ProgressMark mark) {
        progress(ProgressRecords.headers(mark));
    }

    /** Pipes a record with a null key and value and the given headers (a progress record, well-formed or not). */
    void progress(org.apache.kafka.common.header.Headers headers) {
        rawInput.pipeInput(new TestRecord<>(null, null, headers, (Instant) null));
    }

    void advanceWallClock(Duration by) {
        driver.advanceWallClockTime(by);
    }

    List<EngagementSession> drainSessions() {
        return sessions.readValuesToList();
    }

    List<EngagementAlert> drainAlerts() {
        return alerts.readValuesToList();
    }

    Baseline baseline(String user) {
        KeyValueStore<String, Baseline> store = driver.getKeyValueStore(SessionStores.BASELINES);
        return store.get(user);
    }

    double meter(String name) {
        var counter = registry.find(name).counter();
        if (counter != null) {
            return counter.count();
        }
        var gauge = registry.find(name).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    @Override
    public void close() {
        driver.close();
    }

}
