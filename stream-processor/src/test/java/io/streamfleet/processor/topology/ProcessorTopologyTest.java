package io.streamfleet.processor.topology;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.stats.OrderWindowStats;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.support.streams.store.ChangelogPositions;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.streamfleet.processor.support.Events.cancelled;
import static io.streamfleet.processor.support.Events.created;
import static io.streamfleet.processor.support.Events.order;
import static io.streamfleet.processor.support.Events.view;
import static org.assertj.core.api.Assertions.assertThat;

class ProcessorTopologyTest {

    /** 2026-01-01T00:00:00Z: a multiple of every window size, so window bounds read as offsets. */
    private static final long B = 1_767_225_600_000L;
    private static final String ORDERS_RAW = Topics.ORDERS_RAW.name();

    private final DriverHarness h = new DriverHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void shouldDropDuplicateWhenSeenWithinRetention() {
        h.pipe(created("e1", 10.0, B + 100), created("e1", 10.0, B + 100), created("e2", 10.0, B + 200),
                created("e1", 10.0, B + 200 + 600_000 - 100));

        assertThat(h.ordersClean.readValuesToList()).extracting(OrderEvent::eventId).containsExactly("e1", "e2");
        assertThat(h.counter("streamfleet.processor.dedup.duplicates", ORDERS_RAW)).isEqualTo(2.0);
        assertThat(h.counter("streamfleet.processor.records", ORDERS_RAW)).isEqualTo(4.0);
    }

    @Test
    void shouldPassRepeatedIdWhenRetentionHasPassed() {
        h.pipe(created("e1", 10.0, B), created("e1", 10.0, B + 600_000), created("e1", 10.0, B + 600_001));

        // 10 min after the first: still a duplicate; one ms later: the id is new again, and the copy after it is not
        List<TestRecord<String, OrderEvent>> clean = h.ordersClean.readRecordsToList();
        assertThat(clean).extracting(r -> r.value().eventTimeMs()).containsExactly(B, B + 600_001);
    }

    @Test
    void shouldDeduplicateEngagementEventsIndependentlyOfOrders() {
        h.pipe(created("same-id", 10.0, B));
        h.pipe(view("same-id", "u1", B));
        h.pipe(view("same-id", "u1", B + 5));

        assertThat(h.engagementClean.readValuesToList()).hasSize(1);
        assertThat(h.counter("streamfleet.processor.dedup.duplicates", Topics.ENGAGEMENT_RAW.name())).isEqualTo(1.0);
    }

    @Test
    void shouldRouteEventBeyondAllowedLatenessToLateTopicWithHeaders() {
        h.pipe(created("a", 10.0, B + 5000), created("b", 10.0, B + 2000), created("c", 10.0, B + 1999));

        assertThat(h.ordersClean.readValuesToList()).extracting(OrderEvent::eventId).containsExactly("a", "b");
        TestRecord<String, OrderEvent> late = h.ordersLate.readRecord();
        assertThat(late.value().eventId()).isEqualTo("c");
        assertThat(late.key()).isEqualTo("acc|SYM");
        assertThat(new String(late.headers().lastHeader(Headers.LATE_AT_STAGE).value(), StandardCharsets.UTF_8))
                .isEqualTo("stream-processor");
        assertThat(Headers.lastLong(late.headers(), Headers.LATE_WATERMARK_MS, -1)).isEqualTo(B + 2000);
        assertThat(h.counter("streamfleet.processor.late.events", ORDERS_RAW)).isEqualTo(1.0);
        assertThat(h.ordersLate.isEmpty()).isTrue();
    }

    @Test
    void shouldApplyTheLongerEngagementLatenessWhenEventsAreEngagement() {
        h.pipe(view("v1", "u1", B + 200_000));
        h.pipe(view("v2", "u1", B + 80_000));
        h.pipe(view("v3", "u1", B + 79_999));

        assertThat(h.engagementClean.readValuesToList()).extracting(e -> e.eventId()).containsExactly("v1", "v2");
        assertThat(h.engagementLate.readValuesToList()).extracting(e -> e.eventId()).containsExactly("v3");
    }

    @Test
    void shouldPropagateIngestionTimeHeaderWhenForwardingCleanEventsAndStats() {
        h.pipe(created("a", 10.0, B + 100), 1234L);
        h.pipe(created("b", 10.0, B + 200), 1240L);
        h.goIdle(Duration.ofSeconds(10));

        assertThat(h.ordersClean.readRecordsToList())
                .extracting(r -> Headers.lastLong(r.headers(), Headers.INGESTED_AT_MS, -1)).containsExactly(1234L, 1240L);
        TestRecord<String, OrderWindowStats> stats = h.stats.readRecord();
        assertThat(stats.value().window()).isEqualTo("tumbling-1s");
        assertThat(Headers.lastLong(stats.headers(), Headers.INGESTED_AT_MS, -1)).isEqualTo(1240L);
    }

    @Test
    void shouldEmitStatsEqualToHandComputedWindowsWhenWindowsClose() {
        h.pipe(order("c1", "acc", "SYM", OrderEventType.CREATED, 10.00, 2, B + 100),
                order("c2", "acc", "SYM", OrderEventType.CREATED, 10.01, 3, B + 400),
                order("x1", "acc", "SYM", OrderEventType.CANCELLED, 10.01, 3, B + 900),
                order("f1", "acc", "SYM", OrderEventType.FILLED, 10.00, 2, B + 1200),
                order("c3", "acc", "SYM", OrderEventType.CREATED, 10.005, 1, B + 1500));
        h.goIdle(Duration.ofMinutes(2));

        List<OrderWindowStats> all = h.stats.readValuesToList();
        assertThat(all.stream().filter(s -> s.window().equals("tumbling-1s")).toList()).containsExactly(
                new OrderWindowStats("acc|SYM", "tumbling-1s", B, B + 1000, 2, 1, 0, 0.5, 2, 80.06),
                new OrderWindowStats("acc|SYM", "tumbling-1s", B + 1000, B + 2000, 1, 0, 1, 0.0, 2, 30.005));
        List<OrderWindowStats> hopping = all.stream().filter(s -> s.window().equals("hopping-1m")).toList();
        assertThat(hopping).extracting(OrderWindowStats::windowStartMs)
                .containsExactly(B - 50_000, B - 40_000, B - 30_000, B - 20_000, B - 10_000, B);
        assertThat(hopping).allSatisfy(s -> {
            assertThat(s.windowEndMs()).isEqualTo(s.windowStartMs() + 60_000);
            assertThat(s).extracting(OrderWindowStats::created, OrderWindowStats::cancelled, OrderWindowStats::filled,
                    OrderWindowStats::cancelRatio, OrderWindowStats::distinctPriceLevels, OrderWindowStats::notional)
                    .containsExactly(3L, 1L, 1L, 0.333, 2, 110.065);
        });

        h.goIdle(Duration.ofMinutes(5));
        assertThat(h.stats.isEmpty()).as("each window is emitted once").isTrue();
    }

    @Test
    void shouldPlaceOutOfOrderEventInItsOwnWindowWhenWithinGrace() {
        h.pipe(created("a", 10.0, B + 2500), cancelled("b", 10.0, B + 900), created("c", 10.0, B + 500));
        h.goIdle(Duration.ofSeconds(10));

        assertThat(h.statsOf("tumbling-1s")).containsExactly(
                new OrderWindowStats("acc|SYM", "tumbling-1s", B, B + 1000, 1, 1, 0, 1.0, 1, 20.0),
                new OrderWindowStats("acc|SYM", "tumbling-1s", B + 2000, B + 3000, 1, 0, 0, 0.0, 1, 10.0));
        assertThat(h.ordersLate.isEmpty()).isTrue();
    }

    @Test
    void shouldCloseWindowOnlyAfterIdleTimeoutWhenNoMoreRecordsArrive() {
        h.pipe(created("a", 10.0, B + 100));
        h.goIdle(Duration.ofMillis(500));
        assertThat(h.stats.isEmpty()).as("not idle yet").isTrue();

        h.goIdle(Duration.ofMillis(3500));
        // idle for 4 s: stream time B+4100 ≥ window end B+1000 + grace 3 s; hopping windows (end ≥ B+10 s) stay open
        assertThat(h.stats.readValuesToList()).containsExactly(
                new OrderWindowStats("acc|SYM", "tumbling-1s", B, B + 1000, 1, 0, 0, 0.0, 1, 10.0));
        assertThat(h.watermarks.latest()).isGreaterThanOrEqualTo(B + 1000);
    }

    @Test
    void shouldTreatEventBehindIdleAdvancedTimeAsLateWhenIdleAdvanceClosedItsWindow() {
        h.pipe(created("a", 10.0, B + 100));
        h.goIdle(Duration.ofSeconds(10));
        h.pipe(created("b", 10.0, B + 200));

        assertThat(h.ordersLate.readValuesToList()).extracting(OrderEvent::eventId).containsExactly("b");
        assertThat(h.registry.find("streamfleet.processor.stats.skipped.events").counter().count()).isZero();
    }

    @Test
    void shouldKeepWindowsOfDifferentKeysApartWhenKeysInterleave() {
        h.pipe(order("1", "a1", "X", OrderEventType.CREATED, 1.0, 1, B + 10),
                order("2", "a2", "X", OrderEventType.CANCELLED, 1.0, 1, B + 20));
        h.goIdle(Duration.ofSeconds(10));

        assertThat(h.statsOf("tumbling-1s")).extracting(OrderWindowStats::key, OrderWindowStats::created,
                OrderWindowStats::cancelled).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("a1|X", 1L, 0L), org.assertj.core.groups.Tuple.tuple("a2|X", 0L, 1L));
    }

    @Test
    void shouldNameEveryStateStoreAsPinnedWhenTopologyIsBuilt() {
        Set<String> stores = new TreeSet<>();
        var topology = ProcessorTopology.build(ProcessorTopology.Settings.defaults(),
                new ProcessorMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), List.of(), List.of(), List.of()), new ClosedWindowWatermarks());
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor p) {
                    stores.addAll(p.stores());
                }
            }
        }
        assertThat(stores).containsExactlyInAnyOrder("dedup-order-ids", "dedup-engagement-ids",
                "lateness-order-stream-time", "lateness-engagement-stream-time", "stats-open-windows",
                "stats-progress", "stats-closed-tumbling", "stats-closed-hopping");
        assertThat(ProcessorStores.names()).containsExactlyInAnyOrderElementsOf(stores);
    }

    @Test
    void shouldWrapEveryStateStoreSoThatNoWriteCopiesItsPosition() {
        assertThat(h.driver.getAllStateStores()).hasSize(ProcessorStores.names().size())
                .allSatisfy((name, store) -> assertThat(ChangelogPositions.isWrapped(store)).as(name).isTrue());
        for (boolean persistent : new boolean[] {true, false}) {
            assertThat(List.of(ProcessorStores.dedupIds("d", 60_000, persistent),
                    ProcessorStores.streamTime("t", persistent), ProcessorStores.openWindows(persistent),
                    ProcessorStores.progress(persistent),
                    ProcessorStores.closed("c", Duration.ofHours(1), 60_000, persistent)))
                    .allSatisfy(builder -> assertThat(ChangelogPositions.isWrapped(builder.build()))
                            .as(builder.name()).isTrue());
        }
    }

    /**
     * application.yaml sets {@code max.task.idle.ms=-1} (no waiting between a task's partitions): that changes nothing
     * only while every task reads a single partition, i.e. every sub-topology has exactly one source topic.
     */
    @Test
    void shouldReadOneTopicPerSubtopologyWhenTopologyIsBuilt() {
        var topology = ProcessorTopology.build(ProcessorTopology.Settings.defaults(),
                new ProcessorMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), List.of(),
                        List.of(), List.of()), new ClosedWindowWatermarks());
        List<Set<String>> sources = new java.util.ArrayList<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            Set<String> topics = new TreeSet<>();
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source) {
                    topics.addAll(source.topicSet());
                }
            }
            sources.add(topics);
        }
        assertThat(sources).containsExactlyInAnyOrder(Set.of(ORDERS_RAW), Set.of(Topics.ENGAGEMENT_RAW.name()));
    }
}
