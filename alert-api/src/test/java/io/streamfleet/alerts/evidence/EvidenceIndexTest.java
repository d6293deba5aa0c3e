package io.streamfleet.alerts.evidence;

import io.streamfleet.contracts.evidence.AlertEvidence;
import io.streamfleet.contracts.evidence.AlertEvidence.EvidenceOrder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvidenceIndexTest {

    @Test
    void shouldDropTheOldestArrivalWhenFullAndCountTheOrdersHeld() {
        EvidenceIndex index = new EvidenceIndex(3);
        for (int i = 0; i < 5; i++) {
            index.add(evidence("a-" + i, 10 + i));
        }
        assertThat(index.size()).isEqualTo(3);
        assertThat(index.get("a-0")).isEmpty();
        assertThat(index.get("a-1")).isEmpty();
        assertThat(index.get("a-4")).get().extracting(e -> e.orders().size()).isEqualTo(14);
        assertThat(index.orders()).isEqualTo(12 + 13 + 14);
    }

    @Test
    void shouldReplaceRedeliveredEvidenceWithoutCountingItTwice() {
        EvidenceIndex index = new EvidenceIndex(3);
        index.add(evidence("a-1", 10));
        index.add(evidence("a-1", 10));
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.orders()).isEqualTo(10);
    }

    @Test
    void shouldRefuseANonPositiveBound() {
        assertThatThrownBy(() -> new EvidenceIndex(0)).hasMessageContaining("max-alerts");
    }

    static AlertEvidence evidence(String alertId, int orders) {
        List<EvidenceOrder> list = IntStream.range(0, orders).mapToObj(i -> new EvidenceOrder("e-" + i, null,
                i % 2 == 0 ? "CREATED" : "CANCELLED", 1_000L + i, 10.0, 1000)).toList();
        return new AlertEvidence(alertId, "acc", "SYM", 0.01, 0, 500, 1_500, orders, 0, list);
    }
}
