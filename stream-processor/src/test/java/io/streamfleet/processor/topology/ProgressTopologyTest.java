package io.streamfleet.processor.topology;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.progress.ProgressKind;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.stats.OrderWindowStats;
import io.streamfleet.contracts.topic.Topics;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.streamfleet.contracts.progress.ProgressMark.clock;
import static io.streamfleet.contracts.progress.ProgressMark.leaving;
import static io.streamfleet.processor.support.Events.created;
import static io.streamfleet.processor.support.Events.view;
import static org.assertj.core.api.Assertions.assertThat;

/** How progress records move stream time through the gate (docs/event-time.md). */
class ProgressTopologyTest {

    private static final long B = 1_767_225_600_000L;
    private static final String ORDERS_RAW = Topics.ORDERS_RAW.name();

    private final DriverHarness h = new DriverHarness();
    private final long c = DriverHarness.WALL_START.toEpochMilli();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void shouldCloseWindowsWhenGatewayClockMarksShowTheIdleTimeoutPassed() {
        h.pipe(created("a", 10.0, B + 100));
        h.markOrders(clock("gw", c));
        h.markOrders(clock("gw", c + 900));
        assertThat(h.stats.isEmpty()).as("idle for 900 ms of gateway clock: not idle yet").isTrue();

        h.markOrders(clock("gw", c + 4_000));
        assertThat(h.statsOf("tumbling-1s")).containsExactly(
                new OrderWindowStats("acc|SYM", "tumbling-1s", B, B + 1000, 1, 0, 0, 0.0, 1, 10.0));
    }

    @Test
    void shouldMoveNothingWhenOnlyTheWallClockPasses() {
        h.pipe(created("a", 10.0, B + 100));
        h.driver.advanceWallClockTime(Duration.ofMinutes(10));
        assertThat(h.stats.isEmpty()).isTrue();

        h.pipe(created("b", 10.0, B + 50));
        assertThat(h.ordersLate.isEmpty()).as("a stalled or crashed reader finds its backlog on time").isTrue();
        assertThat(h.ordersClean.readValuesToList()).extracting(OrderEvent::eventId).containsExactly("a", "b");
    }

    @Test
    void shouldNeverPassDataThatIsInTheLogBeforeTheMark() {
        // the gateway sent a, b and c before its mark; the processor reads them late (backlog), mark last
        h.pipe(created("a", 10.0, B + 100));
        h.driver.advanceWallClockTime(Duration.ofMinutes(1));
        h.pipe(created("b", 10.0, B + 3_000));
        h.pipe(created("c", 10.0, B + 500));
        h.markOrders(clock("gw", c + 60_000));

        assertThat(h.ordersLate.isEmpty()).isTrue();
        assertThat(h.ordersClean.readValuesToList()).extracting(OrderEvent::eventId).containsExactly("a", "b", "c");
    }

    @Test
    void shouldFollowTheSlowestGatewayWhenSeveralWriteMarks() {
        h.pipe(created("a", 10.0, B + 100));
        h.markOrders(clock("gw-1", c));
        h.markOrders(clock("gw-2", c));
        h.markOrders(clock("gw-1", c + 5_000));
        assertThat(h.stats.isEmpty()).as("gw-2 may still have events in flight").isTrue();

        h.markOrders(clock("gw-2", c + 4_000));
        assertThat(h.statsOf("tumbling-1s")).hasSize(1);
    }

    @Test
    void shouldStopCountingAGatewayWhenItLeaves() {
        h.pipe(created("a", 10.0, B + 100));
        h.markOrders(clock("gw-1", c));
        h.markOrders(clock("gw-2", c));
        h.markOrders(leaving("gw-2", c + 100));
        h.markOrders(clock("gw-1", c + 4_000));
        assertThat(h.statsOf("tumbling-1s")).hasSize(1);
    }

    @Test
    void shouldStopCountingAGatewaySilentForLongerThanTheTimeout() {
        h.pipe(created("a", 10.0, B + 100));
        h.markOrders(clock("gw-1", c));
        h.markOrders(clock("gw-2", c));
        h.markOrders(clock("gw-1", c + 10_000));
        assertThat(h.stats.isEmpty()).as("gw-2 silent for exactly the 10 s timeout still counts").isTrue();

        h.markOrders(clock("gw-1", c + 10_200));
        assertThat(h.statsOf("tumbling-1s")).hasSize(1);
    }

    @Test
    void shouldWriteItsStreamTimeMarkAfterTheDataItCovers() {
        h.pipe(created("a", 10.0, B + 100), created("b", 10.0, B + 300));
        h.markOrders(clock("gw", c));
        h.markOrders(clock("gw", c + 2_000));

        List<TestRecord<String, OrderEvent>> raw = h.ordersClean.readRaw();
        assertThat(raw).extracting(r -> ProgressRecords.isProgress(r.headers()) ? "mark" : r.value().eventId())
                .containsExactly("a", "b", "mark", "mark");
        List<ProgressMark> marks = raw.stream().filter(r -> ProgressRecords.isProgress(r.headers()))
                .map(r -> ProgressRecords.read(r.headers())).toList();
        assertThat(marks).containsExactly(ProgressMark.streamTime("stream-processor", B + 300),
                ProgressMark.streamTime("stream-processor", B + 2_300));
        assertThat(raw.get(3).value()).isNull();
        assertThat(raw.get(3).key()).isNull();
    }

    @Test
    void shouldNotRepeatAStreamTimeMarkWhileTimeStandsStill() {
        h.pipe(created("a", 10.0, B + 100));
        h.markOrders(clock("gw", c));
        h.markOrders(clock("gw", c + 200));
        h.markOrders(clock("gw", c + 400));
        assertThat(h.ordersClean.readMarks()).containsExactly(ProgressMark.streamTime("stream-processor", B + 100));
    }

    @Test
    void shouldNeverTreatAProgressRecordAsAnEvent() {
        h.pipe(created("a", 10.0, B + 100));
        h.goIdle(Duration.ofSeconds(30));

        assertThat(h.ordersLate.isEmpty()).isTrue();
        assertThat(h.engagementLate.isEmpty()).isTrue();
        assertThat(h.counter("streamfleet.processor.records", ORDERS_RAW)).isEqualTo(1.0);
        assertThat(h.counter("streamfleet.processor.invalid.records", ORDERS_RAW)).isZero();
        assertThat(h.counter("streamfleet.processor.progress.marks", ORDERS_RAW)).isEqualTo(151.0);
        assertThat(h.stats.readValuesToList()).allSatisfy(s -> assertThat(s.key()).isEqualTo("acc|SYM"));
        assertThat(h.ordersClean.readValuesToList()).extracting(OrderEvent::eventId).containsExactly("a");
        assertThat(h.ordersClean.readMarks()).allSatisfy(m -> assertThat(m.kind()).isEqualTo(ProgressKind.STREAM_TIME));
    }

    @Test
    void shouldCountAndSkipAMalformedProgressRecord() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(ProgressRecords.SOURCE, "gw".getBytes(StandardCharsets.UTF_8));
        headers.add(ProgressRecords.KIND, "clock".getBytes(StandardCharsets.UTF_8));
        headers.add(ProgressRecords.TIME_MS, "yesterday".getBytes(StandardCharsets.UTF_8));
        h.ordersRaw.pipeInput(new TestRecord<>(null, null, headers, c));
        h.pipe(created("a", 10.0, B + 100));

        assertThat(h.counter("streamfleet.processor.progress.invalid", ORDERS_RAW)).isEqualTo(1.0);
        assertThat(h.ordersClean.readValuesToList()).extracting(OrderEvent::eventId).containsExactly("a");
    }

    @Test
    void shouldKeepEachRawTopicsTimeApart() {
        h.pipe(view("v1", "u1", B + 100));
        h.markOrders(clock("gw", c));
        h.markOrders(clock("gw", c + 300_000));
        h.pipe(view("v2", "u1", B + 50));
        assertThat(h.engagementLate.isEmpty()).as("marks on orders.raw do not move engagement time").isTrue();
    }
}
