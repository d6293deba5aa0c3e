package io.streamfleet.cep.burst;

import io.streamfleet.cep.engine.pattern.Match;
import io.streamfleet.cep.engine.pattern.StageEvents;
import io.streamfleet.cep.support.Orders;
import io.streamfleet.contracts.evidence.AlertEvidence;
import io.streamfleet.contracts.evidence.AlertEvidence.EvidenceOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BurstEvidenceTest {

    private static final long T0 = 1_700_000_000_000L;

    @Property
    void sampleShouldKeepFirstAndLastDistinctInOrderWithinTheLimit(@ForAll @IntRange(min = 0, max = 300) int size,
                                                                    @ForAll @IntRange(min = 2, max = 300) int keep) {
        List<Integer> items = IntStream.range(0, size).boxed().toList();
        List<Integer> kept = BurstEvidence.sample(items, keep);
        assertThat(kept).hasSize(Math.min(size, keep)).isSorted().doesNotHaveDuplicates();
        if (size > 0) {
            assertThat(kept.get(0)).isZero();
            assertThat(kept.get(kept.size() - 1)).isEqualTo(size - 1);
        }
    }

    @Property
    void evidenceShouldNeverExceedTheCapAndKeepBothStagesEnds(@ForAll @IntRange(min = 10, max = 400) int creates,
                                                              @ForAll @IntRange(min = 8, max = 400) int cancels,
                                                              @ForAll @IntRange(min = 4, max = 100) int cap) {
        AlertEvidence evidence = new BurstEvidence(BurstSettings.defaults(), cap).of("a-1", match(creates, cancels));
        List<EvidenceOrder> kept = evidence.orders();
        assertThat(kept).hasSize(Math.min(cap, creates + cancels));
        assertThat(evidence.truncated()).isEqualTo(creates + cancels > cap);
        List<EvidenceOrder> keptCreates = kept.stream().filter(o -> o.eventType().equals("CREATED")).toList();
        List<EvidenceOrder> keptCancels = kept.stream().filter(o -> o.eventType().equals("CANCELLED")).toList();
        assertThat(keptCreates).hasSizeGreaterThanOrEqualTo(2);
        assertThat(keptCancels).hasSizeGreaterThanOrEqualTo(2);
        assertThat(keptCreates.get(0).eventTimeMs()).isEqualTo(T0);
        assertThat(keptCancels.get(keptCancels.size() - 1).eventTimeMs()).isEqualTo(T0 + 2_000 + cancels - 1);
    }

    @Test
    void shouldDescribeWindowsFromTheAnchorAndLevelsFromTheTick() {
        AlertEvidence evidence = new BurstEvidence(BurstSettings.defaults(), 400).of("a-1", match(10, 8));
        assertThat(evidence.anchorMs()).isEqualTo(T0 + 9);
        assertThat(evidence.burstStartMs()).isEqualTo(T0 + 9 - 2_000);
        assertThat(evidence.cancelEndMs()).isEqualTo(T0 + 9 + 1_000);
        assertThat(evidence.orders()).extracting(EvidenceOrder::priceLevel).startsWith(1000L, 1001L, 1002L);
        assertThat(evidence.accountId()).isEqualTo("acc-1");
        assertThat(evidence.key()).isEqualTo("acc-1|ACME");
    }

    @Test
    void shouldRefuseACapTooSmallForBothStagesEnds() {
        assertThatThrownBy(() -> new BurstEvidence(BurstSettings.defaults(), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 4");
    }

    /** A match as the matcher hands it over: creates one ms apart from T0, cancels one ms apart from T0 + 2 s. */
    private static Match<TrackedOrder> match(int creates, int cancels) {
        List<TrackedOrder> created = Orders.acme().creates(creates, T0, 1, 10.00, 10.01, 10.02).tracked();
        List<TrackedOrder> cancelled = Orders.acme().cancels(cancels, T0 + 2_000, 1).tracked();
        return new Match<>(BurstPattern.NAME, created.get(created.size() - 1),
                List.of(new StageEvents<>(BurstPattern.CREATES, created),
                        new StageEvents<>(BurstPattern.CANCELS, cancelled)));
    }
}
