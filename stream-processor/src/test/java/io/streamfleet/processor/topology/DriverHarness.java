package io.streamfleet.processor.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.stats.OrderWindowStats;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.contracts.topic.Topics;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The processor topology in a {@link TopologyTestDriver} with a mock wall clock. */
public final class DriverHarness implements AutoCloseable {

    public static final Instant WALL_START = Instant.parse("2026-01-01T00:00:00Z");

    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final ClosedWindowWatermarks watermarks = new ClosedWindowWatermarks();
    public static final String GATEWAY = "gw-test";

    public final TopologyTestDriver driver;
    private long gatewayClockMs = WALL_START.toEpochMilli();
    public final TestInputTopic<String, OrderEvent> ordersRaw;
    public final TestInputTopic<String, EngagementEvent> engagementRaw;
    public final CleanTopic<OrderEvent> ordersClean;
    public final TestOutputTopic<String, OrderEvent> ordersLate;
    public final TestOutputTopic<String, OrderWindowStats> stats;
    public final CleanTopic<EngagementEvent> engagementClean;
    public final TestOutputTopic<String, EngagementEvent> engagementLate;

    public DriverHarness() {
        this(ProcessorTopology.Settings.defaults().withPersistentStores(false));
    }

    public DriverHarness(ProcessorTopology.Settings settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "processor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/processor-ttd");
        ProcessorMetrics metrics = new ProcessorMetrics(registry, Clock.fixed(WALL_START, ZoneOffset.UTC),
                settings.topics().inputs(), ProcessorTopology.windowFamilies(settings), ProcessorStores.names());
        driver = new TopologyTestDriver(ProcessorTopology.build(settings, metrics, watermarks), props, WALL_START);
        var t = settings.topics();
        ordersRaw = driver.createInputTopic(t.ordersRaw(), Topics.KEY.serializer(),
                Topics.ORDER_EVENT_SERDE.serializer());
        engagementRaw = driver.createInputTopic(t.engagementRaw(), Topics.KEY.serializer(),
                Topics.ENGAGEMENT_EVENT_SERDE.serializer());
        ordersClean = new CleanTopic<>(driver.createOutputTopic(t.ordersClean(), Topics.KEY.deserializer(),
                ProgressRecords.skipping(Topics.ORDER_EVENT_SERDE.deserializer())));
        ordersLate = driver.createOutputTopic(t.ordersLate(), Topics.KEY.deserializer(),
                Topics.ORDER_EVENT_SERDE.deserializer());
        stats = driver.createOutputTopic(t.ordersStats(), Topics.KEY.deserializer(),
                Topics.ORDER_STATS_SERDE.deserializer());
        engagementClean = new CleanTopic<>(driver.createOutputTopic(t.engagementClean(), Topics.KEY.deserializer(),
                ProgressRecords.skipping(Topics.ENGAGEMENT_EVENT_SERDE.deserializer())));
        engagementLate = driver.createOutputTopic(t.engagementLate(), Topics.KEY.deserializer(),
                Topics.ENGAGEMENT_EVENT_SERDE.deserializer());
    }

    public void pipe(OrderEvent... events) {
        for (OrderEvent event : events) {
            pipe(event, -1);
        }
    }

    public void pipe(List<OrderEvent> events) {
        events.forEach(e -> pipe(e, -1));
    }

    public void pipe(OrderEvent event, long ingestedAtMs) {
        RecordHeaders headers = new RecordHeaders();
        if (ingestedAtMs >= 0) {
            headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(ingestedAtMs));
        }
        ordersRaw.pipeInput(new TestRecord<>(event.key(), event, headers, event.eventTimeMs()));
    }

    public void pipe(EngagementEvent event) {
        engagementRaw.pipeInput(new TestRecord<>(event.key(), event, new RecordHeaders(), event.eventTimeMs()));
    }

    /**
     * The gateway's clock moves on with no events: it writes a clock mark to both raw topics now and every 200 ms
     * until {@code wall} has passed (the wall clock of the driver moves too, which alone must change nothing).
     */
    public void goIdle(Duration wall) {
        long end = gatewayClockMs + wall.toMillis();
        while (true) {
            mark(ProgressMark.clock(GATEWAY, gatewayClockMs));
            if (gatewayClockMs >= end) {
                return;
            }
            long step = Math.min(200, end - gatewayClockMs);
            gatewayClockMs += step;
            driver.advanceWallClockTime(Duration.ofMillis(step));
        }
    }

    /** Pipes the same progress record to both raw topics. */
    public void mark(ProgressMark mark) {
        markOrders(mark);
        markEngagement(mark);
    }

    public void markOrders(ProgressMark mark) {
        ordersRaw.pipeInput(new TestRecord<>(null, null, ProgressRecords.headers(mark), gatewayClockMs));
    }

    public void markEngagement(ProgressMark mark) {
        engagementRaw.pipeInput(new TestRecord<>(null, null, ProgressRecords.headers(mark), gatewayClockMs));
    }

    /** The gateway clock the next {@link #goIdle} starts from. */
    public long gatewayClockMs() {
        return gatewayClockMs;
    }

    /** Data and progress records of a clean topic, read apart. */
    public static final class CleanTopic<V> {
        private final TestOutputTopic<String, V> topic;
        private final List<TestRecord<String, V>> data = new ArrayList<>();
        private final List<TestRecord<String, V>> marks = new ArrayList<>();

        CleanTopic(TestOutputTopic<String, V> topic) {
            this.topic = topic;
        }

        private void drain() {
            for (TestRecord<String, V> r : topic.readRecordsToList()) {
                (ProgressRecords.isProgress(r.headers()) ? marks : data).add(r);
            }
        }

        /** Data records written since the last read, progress records left out. */
        public List<TestRecord<String, V>> readRecordsToList() {
            drain();
            List<TestRecord<String, V>> out = List.copyOf(data);
            data.clear();
            return out;
        }

        public List<V> readValuesToList() {
            return readRecordsToList().stream().map(TestRecord::value).toList();
        }

        public boolean isEmpty() {
            drain();
            return data.isEmpty();
        }

        /** Progress marks written since the last read. */
        public List<ProgressMark> readMarks() {
            drain();
            List<ProgressMark> out = marks.stream().map(r -> ProgressRecords.read(r.headers())).toList();
            marks.clear();
            return out;
        }

        /** The raw output, unsplit, in log order (for order assertions); call before any other read. */
        public List<TestRecord<String, V>> readRaw() {
            return topic.readRecordsToList();
        }
    }

    public List<OrderWindowStats> statsOf(String window) {
        return stats.readValuesToList().stream().filter(s -> s.window().equals(window)).toList();
    }

    public double counter(String name, String topic) {
        var counter = registry.find(name).tag("topic", topic).counter();
        return counter == null ? Double.NaN : counter.count();
    }

    @Override
    public void close() {
        driver.close();
    }
}
