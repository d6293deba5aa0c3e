package io.streamfleet.cep.burst;

import io.streamfleet.cep.engine.EngineHarness;
import io.streamfleet.cep.support.Orders;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.id.AlertIds;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detection rule (docs/cep-detector.md#detection-rule) rule by rule, each at its boundary, with the default
 * settings (10, 8, 0.80, 3 levels, T1 2 s, T2 1 s).
 */
class BurstRulesTest {

    private static final long T0 = 1_700_000_000_000L;
    private final BurstPattern burst = new BurstPattern(BurstSettings.defaults());

    private List<BurstDetection> detect(Orders orders) {
        return new EngineHarness<>(burst.pattern()).run(orders.tracked()).stream().map(burst::describe).toList();
    }

    /** n creates over 3 levels, 10 ms apart, then m cancels 10 ms apart starting 10 ms after the last create. */
    private static Orders episode(Orders orders, long start, int creates, int cancels) {
        orders.creates(creates, start, 10, 10.00, 10.01, 10.02);
        return orders.cancels(cancels, start + creates * 10L, 10);
    }

    @Test
    void shouldAlertWhenBurstHasExactlyTenCreates() {
        List<BurstDetection> found = detect(episode(Orders.acme(), T0, 10, 8));

        assertThat(found).hasSize(1);
        BurstDetection d = found.get(0);
        assertThat(d.created()).isEqualTo(10);
        assertThat(d.canceled()).isEqualTo(8);
        assertThat(d.cancelRatio()).isEqualTo(0.8);
        assertThat(d.createdPriceLevels()).containsExactly(1000L, 1001L, 1002L);
        assertThat(d.windowStartMs()).isEqualTo(T0);
        assertThat(d.windowEndMs()).isEqualTo(T0 + 100 + 70);
        assertThat(d.alertId()).isEqualTo(AlertIds.anomaly("acc-1", "ACME", T0, "acc-1-ACME-00000"));
    }

    @Test
    void shouldNotAlertWhenBurstHasNineCreates() {
        assertThat(detect(episode(Orders.acme(), T0, 9, 8))).isEmpty();
    }

    @Test
    void shouldNotAlertWhenOnlySevenCancels() {
        assertThat(detect(episode(Orders.acme(), T0, 10, 7))).isEmpty();
    }

    @Test
    void shouldCountThreeLevelsWhenPriceSitsExactlyOnHalfTickInDecimal() {
        // 1.015 / 0.01 is 101.4999… in binary floating point but 101.5 → 102 in decimal: three levels
        Orders orders = Orders.acme().creates(10, T0, 10, 1.00, 1.01, 1.015).cancels(8, T0 + 100, 10);

        List<BurstDetection> found = detect(orders);

        assertThat(found).hasSize(1);
        assertThat(found.get(0).createdPriceLevels()).containsExactly(100L, 101L, 102L);
    }

    @Test
    void shouldNotAlertWhenPricesJustBelowHalfTickGiveTwoLevels() {
        Orders orders = Orders.acme().creates(10, T0, 10, 1.00, 1.01, 1.0149999).cancels(8, T0 + 100, 10);

        assertThat(detect(orders)).isEmpty();
    }

    @Test
    void shouldAlertWhenRatioIsExactlyEightyPercent() {
        List<BurstDetection> found = detect(episode(Orders.acme(), T0, 100, 80));

        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.created()).isEqualTo(100);
            assertThat(d.canceled()).isEqualTo(80);
            assertThat(d.cancelRatio()).isEqualTo(0.8);
        });
    }

    @Test
    void shouldNotAlertWhenRatioIsSeventyNinePercent() {
        // 100 creates 10 ms apart span 990 ms < T1; 79 cancels span 780 ms < T2
        assertThat(detect(episode(Orders.acme(), T0, 100, 79))).isEmpty();
    }

    @Test
    void shouldReportRatioHalfUpToThreeDecimals() {
        assertThat(detect(episode(Orders.acme(), T0, 12, 11))).singleElement()
                .satisfies(d -> assertThat(d.cancelRatio()).isEqualTo(0.917));
    }

    @Test
    void shouldAlertWhenLastNeededCancelIsExactlyT2AfterAnchor() {
        long anchor = T0 + 90;
        Orders orders = Orders.acme().creates(10, T0, 10, 10.00, 10.01, 10.02)
                .cancels(7, anchor + 1, 1).cancelled(anchor + 1000);

        assertThat(detect(orders)).singleElement().satisfies(d -> {
            assertThat(d.canceled()).isEqualTo(8);
            assertThat(d.windowEndMs()).isEqualTo(anchor + 1000);
        });
    }

    @Test
    void shouldNotAlertWhenLastNeededCancelIsT2PlusOneMillisecondAfterAnchor() {
        long anchor = T0 + 90;
        Orders orders = Orders.acme().creates(10, T0, 10, 10.00, 10.01, 10.02)
                .cancels(7, anchor + 1, 1).cancelled(anchor + 1001);

        assertThat(detect(orders)).isEmpty();
    }

    @Test
    void shouldAlertWhenBurstSpansExactlyT1() {
        Orders orders = Orders.acme().created(T0, 10.00).creates(9, T0 + 2000 - 8, 1, 10.01, 10.02)
                .cancels(8, T0 + 2001, 1);

        assertThat(detect(orders)).singleElement().satisfies(d -> {
            assertThat(d.created()).isEqualTo(10);
            assertThat(d.windowStartMs()).isEqualTo(T0);
        });
    }

    @Test
    void shouldNotAlertWhenBurstSpansT1PlusOneMillisecond() {
        Orders orders = Orders.acme().created(T0 - 1, 10.00).creates(9, T0 + 2000 - 8, 1, 10.01, 10.02)
                .cancels(8, T0 + 2001, 1);

        assertThat(detect(orders)).isEmpty();
    }

    @Test
    void shouldOrderEqualTimestampsByEventId() {
        Orders orders = Orders.acme();
        for (int i = 0; i < 10; i++) {
            orders.event("a" + i, OrderEventType.CREATED, T0, 10.00 + (i % 3) / 100.0);
        }
        for (int i = 0; i < 8; i++) {
            orders.event("b" + i, OrderEventType.CANCELLED, T0, 10.00);
        }
        // "Z" sorts before "a": a cancel at the same millisecond but ordered before every create is not in C
        orders.event("Z", OrderEventType.CANCELLED, T0, 10.00);

        assertThat(detect(orders)).singleElement().satisfies(d -> {
            assertThat(d.created()).isEqualTo(10);
            assertThat(d.canceled()).isEqualTo(8);
            assertThat(d.windowStartMs()).isEqualTo(T0);
            assertThat(d.windowEndMs()).isEqualTo(T0);
            assertThat(d.firstBurstEventId()).isEqualTo("a0");
            assertThat(d.lastEventId()).isEqualTo("b7");
        });
    }

    @Test
    void shouldIgnoreFilledEventsInterleavedEverywhere() {
        Orders orders = Orders.acme();
        for (int i = 0; i < 10; i++) {
            orders.created(T0 + i * 10, 10.00 + (i % 3) / 100.0).filled(T0 + i * 10 + 5);
        }
        for (int i = 0; i < 8; i++) {
            orders.filled(T0 + 100 + i * 10).cancelled(T0 + 101 + i * 10);
        }

        assertThat(detect(orders)).singleElement().satisfies(d -> {
            assertThat(d.created()).isEqualTo(10);
            assertThat(d.canceled()).isEqualTo(8);
        });
    }

    @Test
    void shouldNotSplitBurstWhenStrayCancelSitsInside() {
        Orders orders = Orders.acme().creates(5, T0, 10, 10.00, 10.01, 10.02).cancelled(T0 + 45)
                .creates(5, T0 + 50, 10, 10.00, 10.01, 10.02).cancels(8, T0 + 100, 10);

        assertThat(detect(orders)).singleElement().satisfies(d -> {
            assertThat(d.created()).isEqualTo(10);
            assertThat(d.canceled()).isEqualTo(8);
        });
    }

    @Test
    void shouldReportEachBackToBackEpisodeOnceWithoutReusingEvents() {
        Orders orders = Orders.acme();
        episode(orders, T0, 10, 8);
        episode(orders, T0 + 1_200, 10, 8); // starts after the first anchor's cancel window (T0 + 90 + T2)
        episode(orders, T0 + 5_000, 12, 12);

        List<BurstDetection> found = detect(orders);

        assertThat(found).extracting(BurstDetection::windowStartMs).containsExactly(T0, T0 + 1_200, T0 + 5_000);
        assertThat(found).extracting(BurstDetection::created).containsExactly(10, 10, 12);
        assertThat(found).extracting(BurstDetection::alertId).doesNotHaveDuplicates();
    }

    @Test
    void shouldConsumeCreatesBetweenAnchorAndLastCancelWhenMatched() {
        // the create inside the cancel stretch is consumed with the episode; unconsumed it would complete the
        // second burst (9 creates + it, all within T1 of the second anchor)
        Orders orders = Orders.acme().creates(10, T0, 10, 10.00, 10.01, 10.02).cancels(4, T0 + 100, 10)
                .created(T0 + 145, 10.05).cancels(4, T0 + 150, 10)
                .creates(9, T0 + 1_200, 10, 10.00, 10.01, 10.02).cancels(8, T0 + 1_300, 10);

        List<BurstDetection> found = detect(orders);

        assertThat(found).hasSize(1);
        assertThat(found.get(0).canceled()).isEqualTo(8);
    }

    @Test
    void shouldNoteTheEpisodeInWords() {
        assertThat(detect(episode(Orders.acme(), T0, 10, 8)).get(0).toAlert(T0 + 5000).note())
                .isEqualTo("10 orders created at 3 price levels, 8 cancelled (ratio 0.800) within 170 ms on acc-1/ACME");
    }

    @Test
    void shouldMatchTheWorkedExampleOfTheDocs() {
        Orders orders = Orders.acme().creates(5, T0, 100, 10.00, 10.01, 10.02).cancelled(T0 + 450);
        for (int i = 5; i < 10; i++) {
            orders.created(T0 + i * 100, new double[]{10.00, 10.01, 10.02}[i % 3]);
        }
        orders.cancels(5, T0 + 1000, 100).filled(T0 + 1500).cancels(3, T0 + 1600, 100);

        assertThat(detect(orders)).singleElement().satisfies(d -> {
            assertThat(d.created()).isEqualTo(10);
            assertThat(d.canceled()).isEqualTo(8);
            assertThat(d.cancelRatio()).isEqualTo(0.8);
            assertThat(d.createdPriceLevels()).containsExactly(1000L, 1001L, 1002L);
            assertThat(d.windowStartMs()).isEqualTo(T0);
            assertThat(d.windowEndMs()).isEqualTo(T0 + 1800);
        });
    }
}
