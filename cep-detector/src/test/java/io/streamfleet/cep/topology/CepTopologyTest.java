package io.streamfleet.cep.topology;

import io.streamfleet.cep.operator.CepStores;
import io.streamfleet.cep.support.Orders;
import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.topic.Headers;
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

        // stream-time punctuation runs every 100 ms of stream time; the exact boundary is the engine tests' job
        harness.pipe(Orders.forKey("other", "X").filled(T0 + 4_200).build());

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
        assertThat(alert.detectedAtMs()).isEqualTo(DriverHarness.WALL_START.toEpochMilli());
        assertThat(alert.violations()).isEmpty();
        assertThat(harness.meter("streamfleet.cep.alerts")).isEqualTo(1.0);
    }

    @Test
    void shouldReportLastEpisodeWhenPartitionGoesIdle() {
        harness.pipe(episode(Orders.acme(), T0).build());

        harness.driver.advanceWallClockTime(Duration.ofMillis(900));
        assertThat(harness.alerts()).as("before the idle timeout").isEmpty();

        harness.driver.advanceWallClockTime(Duration.ofMillis(4_000));
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
        harness.goIdle();

        List<TestRecord<String, AnomalyAlert>> records = harness.alertRecords();
        assertThat(records).extracting(TestRecord::key).containsExactlyInAnyOrderElementsOf(expected);
        harness.goIdle();
        assertThat(harness.meter("streamfleet.cep.keys")).isZero();
        assertThat(harness.meter("streamfleet.cep.buffered.events")).isZero();
    }

    @Test
    void shouldEmitEachEpisodeOnceWhenPunctuatedManyTimes() {
        harness.pipe(episode(Orders.acme(), T0).build());
        for (int i = 0; i < 50; i++) {
            harness.driver.advanceWallClockTime(Duration.ofMillis(200));
        }
        harness.pipe(episode(Orders.acme(), T0 + 20_000).build());
        harness.goIdle();
        harness.goIdle();

        assertThat(harness.alerts()).extracting(AnomalyAlert::windowStartMs).containsExactly(T0, T0 + 20_000);
    }

    @Test
    void shouldKeepStoreNamesStable() {
        Set<String> stores = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : CepTopology.build(CepTopology.Settings.defaults(),
                io.streamfleet.cep.operator.DetectorSettings.defaults(),
                new io.streamfleet.cep.operator.CepMetrics(harness.registry)).describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor processor) {
                    stores.addAll(processor.stores());
                }
            }
        }
        assertThat(stores).containsExactlyInAnyOrder("cep-buffer", "cep-key-state", "cep-wake-ups", "cep-meta");
        assertThat(CepStores.names()).containsExactlyInAnyOrderElementsOf(stores);
    }
}
