package io.streamfleet.alerts.late.board;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LateEventBoardTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final long HORIZON = 15 * 60_000L;
    private static final LateQuery ALL = new LateQuery(null, null, null, 100);

    private final LateEventBoard board = new LateEventBoard(HORIZON, 100);

    @Test
    void shouldCountEachTopicAndKeyApartWithItsEventTimeRangeAndArrivals() {
        board.record(late("orders.late", "acc-1|AAPL", NOW - 9_000, 4_000, NOW));
        board.record(late("orders.late", "acc-1|AAPL", NOW - 12_000, 1_000, NOW + 10));
        board.record(late("orders.late", "acc-1|AAPL", NOW - 5_000, -1, NOW + 20));
        board.record(late("orders.cep.late", "acc-1|AAPL", NOW - 7_000, 500, NOW + 30));

        LateView view = board.query(ALL, NOW + 40);

        assertThat(view.items()).containsExactly(
                new LateKeyStats("orders.late", "stage-of-orders.late", "acc-1|AAPL", 3, NOW - 12_000, NOW - 5_000,
                        4_000, NOW, NOW + 20),
                new LateKeyStats("orders.cep.late", "stage-of-orders.cep.late", "acc-1|AAPL", 1, NOW - 7_000,
                        NOW - 7_000, 500, NOW + 30, NOW + 30));
        assertThat(view.trackedKeys()).isEqualTo(2);
        assertThat(view.matching()).isEqualTo(2);
        assertThat(view.horizonMs()).isEqualTo(HORIZON);
    }

    @Test
    void shouldListMostLateKeysFirstAndStopAtTheLimitWhenMoreMatch() {
        for (int key = 0; key < 5; key++) {
            for (int n = 0; n <= key; n++) {
                board.record(late("engagement.late", "user-" + key, NOW - 200_000, 100_000, NOW + n));
            }
        }

        LateView view = board.query(new LateQuery(null, null, null, 3), NOW + 100);

        assertThat(view.items()).extracting(LateKeyStats::key).containsExactly("user-4", "user-3", "user-2");
        assertThat(view.items()).extracting(LateKeyStats::count).containsExactly(5L, 4L, 3L);
        assertThat(view.matching()).isEqualTo(5);
    }

    @Test
    void shouldListOnlyTheAskedTopicAndKeyWhenFiltered() {
        board.record(late("orders.late", "acc-1|AAPL", NOW, 10, NOW));
        board.record(late("orders.cep.late", "acc-1|AAPL", NOW, 10, NOW));
        board.record(late("orders.late", "acc-2|MSFT", NOW, 10, NOW));

        assertThat(board.query(new LateQuery(null, null, "acc-1|AAPL", 10), NOW).items())
                .extracting(LateKeyStats::topic).containsExactlyInAnyOrder("orders.late", "orders.cep.late");
        assertThat(board.query(new LateQuery("orders.late", null, null, 10), NOW).items())
                .extracting(LateKeyStats::key).containsExactlyInAnyOrder("acc-1|AAPL", "acc-2|MSFT");
        assertThat(board.query(new LateQuery("orders.late", null, "acc-9|X", 10), NOW).items()).isEmpty();
    }

    @Test
    void shouldForgetAKeyWhenItsLastLateRecordLeftTheHorizonAndCountAgainFromItsReturn() {
        board.record(late("orders.late", "acc-1|AAPL", NOW, 10, NOW));
        board.record(late("orders.late", "acc-1|AAPL", NOW, 10, NOW + 60_000));

        assertThat(board.query(ALL, NOW + 60_000 + HORIZON - 1).items()).hasSize(1);
        assertThat(board.query(ALL, NOW + 60_000 + HORIZON).items()).isEmpty();
        assertThat(board.size()).isZero();

        board.record(late("orders.late", "acc-1|AAPL", NOW, 10, NOW + 60_000 + HORIZON + 5));
        LateKeyStats back = board.query(ALL, NOW + 60_000 + HORIZON + 5).items().get(0);
        assertThat(back.count()).isEqualTo(1);
        assertThat(back.firstArrivalMs()).isEqualTo(NOW + 60_000 + HORIZON + 5);
    }

    @Test
    void shouldEvictTheKeyLateLongestAgoWhenANewKeyArrivesAtCapacity() {
        LateEventBoard small = new LateEventBoard(HORIZON, 2);
        small.record(late("orders.late", "a", NOW, 1, NOW));
        small.record(late("orders.late", "b", NOW, 1, NOW + 1));
        small.record(late("orders.late", "a", NOW, 1, NOW + 2));
        small.record(late("orders.late", "c", NOW, 1, NOW + 3));

        LateView view = small.query(ALL, NOW + 4);
        assertThat(view.items()).extracting(LateKeyStats::key).containsExactly("a", "c");
        assertThat(view.items().get(0).count()).isEqualTo(2);
        assertThat(view.evictedKeys()).isEqualTo(1);
        assertThat(small.evictedKeys()).isEqualTo(1);
    }

    @Test
    void shouldNotLetTimeGoBackWhenTheWallClockStepsBack() {
        board.record(late("orders.late", "a", NOW, 1, NOW + 1_000));
        board.record(late("orders.late", "a", NOW, 1, NOW));

        LateKeyStats stats = board.query(ALL, NOW).items().get(0);
        assertThat(stats.firstArrivalMs()).isEqualTo(NOW + 1_000);
        assertThat(stats.lastArrivalMs()).isEqualTo(NOW + 1_000);
    }

    @Test
    void shouldGiveEachTopicItsOwnTopKeysWhenAskedForTheGauge() {
        for (int key = 0; key < 4; key++) {
            for (int n = 0; n <= key; n++) {
                board.record(late("orders.late", "o" + key, NOW, 1, NOW));
            }
        }
        board.record(late("engagement.late", "u", NOW, 1, NOW));

        Map<LateSource, List<LateKeyStats>> top = board.topPerSource(2, NOW);

        assertThat(top.get(new LateSource("orders.late", "stage-of-orders.late")))
                .extracting(LateKeyStats::key).containsExactly("o3", "o2");
        assertThat(top.get(new LateSource("engagement.late", "stage-of-engagement.late")))
                .extracting(LateKeyStats::key).containsExactly("u");
    }

    @Test
    void shouldKeepEachStageApartWhenTwoStagesDivertTheSameKeyToOneTopic() {
        board.record(new LateRecord("engagement.late", "stream-processor", "user-1", NOW - 500_000, 300_000, NOW));
        board.record(new LateRecord("engagement.late", "session-analytics", "user-1", NOW - 400_000, 200_000, NOW));
        board.record(new LateRecord("engagement.late", "session-analytics", "user-1", NOW - 300_000, 100_000, NOW));

        assertThat(board.query(new LateQuery(null, null, "user-1", 10), NOW).items())
                .extracting(LateKeyStats::stage, LateKeyStats::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("session-analytics", 2L),
                        org.assertj.core.groups.Tuple.tuple("stream-processor", 1L));
        assertThat(board.query(new LateQuery(null, "stream-processor", null, 10), NOW).items()).hasSize(1);
    }

    @Test
    void shouldRejectNonsenseWhenBuilt() {
        assertThatThrownBy(() -> new LateEventBoard(0, 10)).hasMessageContaining("horizon");
        assertThatThrownBy(() -> new LateEventBoard(1000, 0)).hasMessageContaining("max-keys");
        assertThatThrownBy(() -> new LateQuery(null, null, null, 0)).hasMessageContaining("limit");
    }

    static LateRecord late(String topic, String key, long eventTimeMs, long behindMs, long arrivalMs) {
        return new LateRecord(topic, "stage-of-" + topic, key, eventTimeMs, behindMs, arrivalMs);
    }
}
