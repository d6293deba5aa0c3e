package io.streamfleet.cep.topology;

import io.streamfleet.cep.operator.DetectorSettings;
import io.streamfleet.cep.support.Orders;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.evidence.AlertEvidence;
import io.streamfleet.contracts.evidence.AlertEvidence.EvidenceOrder;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each alert's matched orders go to alerts.evidence with the alert, keyed like it, capped per alert. */
class EvidenceTopologyTest {

    private static final long T0 = 1_700_000_000_000L;

    @Test
    void shouldWriteEveryMatchedOrderBesideTheAlertWhenTheEpisodeIsUnderTheCap() {
        try (DriverHarness harness = new DriverHarness()) {
            // a FILLED order and an early create outside the burst window take part in nothing
            harness.pipe(Orders.acme().created(T0 - 5_000, 9.99).filled(T0 + 20)
                    .creates(12, T0, 10, 10.00, 10.01, 10.02, 10.03).cancels(10, T0 + 200, 20).build());
            harness.settle();

            List<AnomalyAlert> alerts = harness.alerts();
            List<TestRecord<String, AlertEvidence>> records = harness.evidence.readRecordsToList();
            assertThat(alerts).hasSize(1);
            assertThat(records).hasSize(1);
            TestRecord<String, AlertEvidence> record = records.get(0);
            AlertEvidence evidence = record.value();
            assertThat(record.key()).isEqualTo("acc-1|ACME");
            assertThat(evidence.alertId()).isEqualTo(alerts.get(0).alertId());
            assertThat(evidence.truncated()).isFalse();
            assertThat(evidence.totalCreated()).isEqualTo(12);
            assertThat(evidence.totalCanceled()).isEqualTo(10);
            assertThat(evidence.orders()).filteredOn(o -> o.eventType().equals("CREATED")).hasSize(12);
            assertThat(evidence.orders()).filteredOn(o -> o.eventType().equals("CANCELLED")).hasSize(10);
            assertThat(evidence.orders()).extracting(EvidenceOrder::priceLevel).contains(1000L, 1001L, 1002L, 1003L);
            long anchor = T0 + 110;
            assertThat(evidence.anchorMs()).isEqualTo(anchor);
            assertThat(evidence.burstStartMs()).isEqualTo(anchor - 2_000);
            assertThat(evidence.cancelEndMs()).isEqualTo(anchor + 1_000);
            assertThat(evidence.tickSize()).isEqualTo(0.01);
            assertThat(harness.meter("streamfleet.cep.evidence.orders")).isEqualTo(22.0);
            assertThat(harness.meter("streamfleet.cep.evidence.truncated")).isZero();
        }
    }

    @Test
    void shouldSampleDownToTheCapWhenTheEpisodeIsLarger() {
        try (DriverHarness harness = new DriverHarness(DetectorSettings.defaults(), 20)) {
            harness.pipe(Orders.acme().creates(100, T0, 10, 10.00, 10.01, 10.02).cancels(90, T0 + 1_000, 5).build());
            harness.settle();

            AlertEvidence evidence = harness.evidence.readValuesToList().get(0);
            assertThat(evidence.orders()).hasSize(20);
            assertThat(evidence.truncated()).isTrue();
            assertThat(evidence.totalCreated()).isEqualTo(100);
            assertThat(evidence.totalCanceled()).isEqualTo(90);
            assertThat(harness.meter("streamfleet.cep.evidence.truncated")).isEqualTo(1.0);
        }
    }

    @Test
    void shouldWriteNoEvidenceWhenNothingMatches() {
        try (DriverHarness harness = new DriverHarness()) {
            // a near miss: 12 creates, 9 cancels, but all at two price levels
            harness.pipe(Orders.acme().creates(12, T0, 10, 10.00, 10.01).cancels(9, T0 + 200, 20).build());
            harness.settle();
            assertThat(harness.alerts()).isEmpty();
            assertThat(harness.evidence.isEmpty()).isTrue();
        }
    }
}
