package io.streamfleet.cep.topology;

import io.streamfleet.cep.operator.CepMetrics;
import io.streamfleet.cep.operator.CepStores;
import io.streamfleet.cep.operator.DetectorSettings;
import io.streamfleet.cep.support.Orders;
import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.support.streams.store.ChangelogPositions;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class CepTopologyTest {

    private static final long T0 = 1_700_000_000_000L;
    /** Anchor of {@link #episode}: its last create; the candidate is due once W > t(c) + T2, i.e. S > t(c) + 4 000. */
    private static final long ANCHOR_OFFSET = 90;
    private final DriverHarness harness = new DriverHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private static Orders episode(Orders orders, long start) {
        return orders.creates(10, start, 10, 10.00, 10.01, 10.02).cancels(8, start + 100, 10);
    }

    @Test
    void shouldEmitOneAlertWithLastEventsIngestionTimeWhenWatermarkPassesCancelWindow() {
        List<OrderEvent> events = episode(Orders.acme(), T0).build();
        for (int i = 0; i < events.size(); i++) {
            harness.pipe(events.get(i), 5_000 + i);
        }
        // stream time T0 + 4090 ⇒ watermark T0 + 1090 = anchor + T2: not yet passed
        harness.pipe(Orders.forKey("other", "X").filled(T0 + 4_090).build());
        assertThat(harness.alerts()).isEmpty();

        // data moving the watermark 100 ms (the evaluation interval) past the last evaluation evaluates
        harness.pipe(Orders.forKey("other", "X").filled(T0 + 4_190).build());

        List<TestRecord<String, AnomalyAlert>> records = harness.alertRecords();
        assertThat(records).hasSize(1);
        TestRecord<String, AnomalyAlert> record = records.get(0);
        assertThat(record.key()).isEqualTo("acc-1|ACME");
        assertThat(Headers.lastLong(record.headers(), Headers.INGESTED_AT_MS, -1)).isEqualTo(5_017);
        AnomalyAlert alert = record.value();
        assertThat(alert.type()).isEqualTo(AlertType.BURST_CREATE_MASS_CANCEL);
        assertThat(alert.created()).isEqualTo(10);
        assertThat(alert.canceled()).isEqualTo(8);
        assertThat(alert.uniquePriceLevels()).isEqualTo(3);
        assertThat(alert.windowStartMs()).isEqualTo(T0);
        assertThat(alert.windowEndMs()).isEqualTo(T0 + 170);
        assertThat(alert.detectedAtMs()).as("stream time at emission").isEqualTo(T0 + 4_190);
        assertThat(record.timestamp()).isEqualTo(T0 + 4_190);
        assertThat(alert.violations()).isEmpty();
        assertThat(harness.meter("streamfleet.cep.alerts")).isEqualTo(1.0);
    }

    @Test
    void shouldNotEvaluateWhenDataMovesWatermarkLessThanTheIntervalPastTheLastEvaluation() {
        harness.pipe(episode(Orders.acme(), T0).build());
        harness.pipe(Orders.forKey("other", "X").filled(T0 + 4_090).build());

        // W = T0 + 1189 is past the deadline T0 + 1090, but only 99 ms past the last evaluation (T0 + 1090)
        harness.pipe(Orders.forKey("other", "X").filled(T0 + 4_189).build());
        assertThat(harness.alerts()).isEmpty();

        harness.pipe(Orders.forKey("other", "X").filled(T0 + 4_190).build());
        assertThat(harness.alerts()).hasSize(1);
    }

    @Test
    void shouldFireTheLastEpisodeBeforeSilenceWhenAStreamTimeMarkArrives() {
        harness.pipe(episode(Orders.acme(), T0).build());
        assertThat(harness.alerts()).isEmpty();

        harness.progress(T0 + 30_000);

        List<TestRecord<String, AnomalyAlert>> records = harness.alertRecords();
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("acc-1|ACME");
            assertThat(r.value().windowStartMs()).isEqualTo(T0);
            assertThat(r.value().detectedAtMs()).isEqualTo(T0 + 30_000);
            assertThat(r.timestamp()).isEqualTo(T0 + 30_000);
        });
        assertThat(harness.meter("streamfleet.cep.progress.marks")).isEqualTo(1.0);
        assertThat(harness.meter("streamfleet.cep.keys")).as("expired with the horizon").isZero();
    }

    @Test
    void shouldNotAlertBeforeTheMarkPassesAnchorPlusCancelWindowPlusLateness() {
        harness.pipe(episode(Orders.acme(), T0).build());
        long due = T0 + ANCHOR_OFFSET + 1_000 + 3_000;

        harness.progress(due - 1_000);
        harness.progress(due);
        assertThat(harness.alerts()).as("W = t(c) + T2 exactly: not yet passed").isEmpty();

        harness.progress(due + 1);
        assertThat(harness.alerts()).singleElement()
                .satisfies(a -> assertThat(a.detectedAtMs()).isEqualTo(due + 1));
    }

    @Test
    void shouldMoveNothingWhenOnlyWallClockTimePasses() {
        harness.pipe(episode(Orders.acme(), T0).build());

        for (int i = 0; i < 120; i++) {
            harness.driver.advanceWallClockTime(Duration.ofSeconds(30));
        }

        assertThat(harness.alerts()).isEmpty();
        assertThat(harness.late.isEmpty()).isTrue();
        assertThat(harness.meter("streamfleet.cep.buffered.events")).as("all 18 still await the watermark")
                .isEqualTo(18.0);
        // the late bound did not move either: an order just inside the lateness is still on time
        harness.pipe(Orders.forKey("b", "X").created(T0 + 170 - 3_000, 10.0).build());
        assertThat(harness.late.isEmpty()).isTrue();
        harness.progress(T0 + 4_091);
        assertThat(harness.alerts()).hasSize(1);
    }

    @Test
    void shouldNeverEmitOrDivertProgressRecordsWhenMarksArriveAtAnyTime() {
        harness.pipe(Orders.forKey("a", "X").filled(T0 + 10_000).build());

        harness.progress(0);                        // far behind the watermark: still not "late"
        harness.progress(T0 + 5_000);               // behind stream time: moves nothing
        harness.progress(ProgressMark.clock("gw-1", T0));
        harness.pipeRaw("not json".getBytes(), ProgressRecords.headers(ProgressMark.streamTime("stream-processor",
                T0 + 10_500)));                     // a value that is no order: skipped by the deserializer
        harness.progress(T0 + 60_000);

        assertThat(harness.alerts()).isEmpty();
        assertThat(harness.late.isEmpty()).isTrue();
        assertThat(harness.meter("streamfleet.cep.progress.marks")).isEqualTo(5.0);
        assertThat(harness.registry.find("streamfleet.cep.events").counters())
                .allSatisfy(c -> assertThat(c.count()).isEqualTo(c.getId().getTag("outcome").equals("buffered") ? 1 : 0));
        assertThat(harness.meter("streamfleet.cep.late.events")).isZero();
    }

    @Test
    void shouldSkipAndCountMalformedProgressRecordWhenItsHeadersAreInvalid() {
        harness.pipe(episode(Orders.acme(), T0).build());
        var headers = ProgressRecords.headers(ProgressMark.streamTime("stream-processor", T0 + 30_000));
        headers.remove(ProgressRecords.KIND);
        headers.add(ProgressRecords.KIND, "sometime".getBytes());

        harness.pipeRaw(null, headers);

        assertThat(harness.alerts()).as("a malformed mark moves nothing").isEmpty();
        assertThat(harness.meter("streamfleet.cep.progress.invalid")).isEqualTo(1.0);
        assertThat(harness.meter("streamfleet.cep.progress.marks")).isZero();
        assertThat(harness.registry.get("streamfleet.cep.events").tag("outcome", "invalid").counter().count())
                .isZero();
        harness.progress(T0 + 30_000);
        assertThat(harness.alerts()).hasSize(1);
    }

    @Test
    void shouldRouteLateOrderToLateTopicWithoutTouchingState() {
        harness.pipe(Orders.forKey("a", "X").filled(T0 + 10_000).build());

        OrderEvent late = Orders.acme().created(T0 + 6_999, 10.0).build().get(0);
        harness.pipe(late, 1);
        OrderEvent onTime = Orders.forKey("b", "X").created(T0 + 7_000, 10.0).build().get(0);
        harness.pipe(onTime, 2);

        List<TestRecord<String, OrderEvent>> diverted = harness.late.readRecordsToList();
        assertThat(diverted).extracting(TestRecord::value).containsExactly(late);
        assertThat(Headers.lastLong(diverted.get(0).headers(), Headers.LATE_WATERMARK_MS, -1)).isEqualTo(T0 + 7_000);
        assertThat(diverted.get(0).headers().lastHeader(Headers.LATE_AT_STAGE)).isNotNull();
        assertThat(harness.meter("streamfleet.cep.late.events")).isEqualTo(1.0);
    }

    @Test
    void shouldDivertOrderBehindAMarkedWatermarkWhenTheMarkMovedTime() {
        harness.pipe(Orders.forKey("a", "X").filled(T0).build());
        harness.progress(T0 + 10_000);

        OrderEvent late = Orders.acme().created(T0 + 6_999, 10.0).build().get(0);
        harness.pipe(late, 1);

        assertThat(harness.late.readValuesToList()).containsExactly(late);
    }

    @Test
    void shouldAlertOnlyEpisodeKeysWhenManyKeysInterleave() {
        List<OrderEvent> all = new ArrayList<>();
        Set<String> expected = new TreeSet<>();
        for (int k = 0; k < 300; k++) {
            Orders orders = Orders.forKey("acc-" + k, "S" + (k % 7));
            if (k % 3 == 0) {
                episode(orders, T0 + k);
                expected.add(orders.key());
            } else {
                // near miss: 9 creates
                orders.creates(9, T0 + k, 10, 10.00, 10.01, 10.02).cancels(8, T0 + k + 90, 10);
            }
            all.addAll(orders.build());
        }
        all.sort(java.util.Comparator.comparingLong(OrderEvent::eventTimeMs));
        harness.pipe(all);
        harness.settle();

        List<TestRecord<String, AnomalyAlert>> records = harness.alertRecords();
        assertThat(records).extracting(TestRecord::key).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(harness.meter("streamfleet.cep.keys")).isZero();
        assertThat(harness.meter("streamfleet.cep.buffered.events")).isZero();
    }

    @Test
    void shouldEmitEachEpisodeOnceWhenMarksRepeat() {
        harness.pipe(episode(Orders.acme(), T0).build());
        for (int i = 0; i < 50; i++) {
            harness.progress(T0 + 200L * i);
            harness.progress(T0 + 200L * i);
        }
        harness.pipe(episode(Orders.acme(), T0 + 20_000).build());
        harness.settle();
        harness.settle();

        assertThat(harness.alerts()).extracting(AnomalyAlert::windowStartMs).containsExactly(T0, T0 + 20_000);
    }

    @Test
    void shouldExposeStreamTimeOfEachTaskWhenTimeMoves() {
        harness.pipe(Orders.acme().created(T0, 10.0).build());
        harness.progress(T0 + 5_000);

        assertThat(harness.registry.get("streamfleet.cep.stream.time.ms").tag("topic", "orders.clean")
                .tag("task", "0_0").gauge().value()).isEqualTo(T0 + 5_000);
        assertThat(harness.meter("streamfleet.cep.stream.time.lag.ms"))
                .isEqualTo(DriverHarness.WALL_START.toEpochMilli() - (T0 + 5_000));
    }

    @Test
    void shouldKeepStoreNamesStable() {
        Set<String> stores = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : CepTopology.build(CepTopology.Settings.defaults(),
                DetectorSettings.defaults(), new CepMetrics(harness.registry, "orders.clean")).describe()
                .subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor processor) {
                    stores.addAll(processor.stores());
                }
            }
        }
        assertThat(stores).containsExactlyInAnyOrder("cep-buffer", "cep-key-state", "cep-meta");
        assertThat(CepStores.names()).containsExactlyInAnyOrderElementsOf(stores);
    }

    @Test
    void shouldWrapEveryStoreSoThatNoWriteCopiesItsPosition() {
        assertThat(harness.driver.getAllStateStores()).hasSize(CepStores.names().size())
                .allSatisfy((name, store) -> assertThat(ChangelogPositions.isWrapped(store)).as(name).isTrue());
        for (boolean persistent : new boolean[] {true, false}) {
            assertThat(CepStores.builders(persistent)).allSatisfy(builder ->
                    assertThat(ChangelogPositions.isWrapped(builder.build())).as(builder.name()).isTrue());
        }
    }
}
