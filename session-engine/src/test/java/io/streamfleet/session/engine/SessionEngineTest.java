package io.streamfleet.session.engine;

import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.id.AlertIds;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.session.baseline.BaselineRule;
import io.streamfleet.session.engine.PartitionSessions.Outcome;
import io.streamfleet.session.metrics.SessionWindowRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.streamfleet.session.engine.Events.GAP;
import static io.streamfleet.session.engine.Events.GRACE;
import static io.streamfleet.session.engine.Events.MIN;
import static io.streamfleet.session.engine.Events.click;
import static io.streamfleet.session.engine.Events.viewEnd;
import static org.assertj.core.api.Assertions.assertThat;

class SessionEngineTest {

    private static final long T0 = 1_000_000_000L;

    private final PartitionSessions partition = new PartitionSessions(new SessionWindowRule(GAP, GRACE),
            new BaselineRule(0.3, 0.30));

    @Test
    void shouldCloseASessionOnlyOnceStreamTimePassesItsEndByGapAndGrace() {
        partition.offer(viewEnd("u", T0, 10_000), -1);
        partition.offer(viewEnd("u", T0 + 5 * MIN, 20_000), 77);

        partition.advanceTo(T0 + 5 * MIN + GAP + GRACE);
        assertThat(partition.closed()).isEmpty();
        partition.advanceTo(T0 + 5 * MIN + GAP + GRACE + 1);

        assertThat(partition.closed()).singleElement().satisfies(c -> {
            assertThat(c.session()).isEqualTo(new EngagementSession("u", T0, T0 + 5 * MIN, 2, 2, 15_000.0, 1.0, 0));
            assertThat(c.closedAtMs()).isEqualTo(T0 + 5 * MIN + GAP + GRACE + 1);
        });
        assertThat(partition.open()).isEmpty();
    }

    @Test
    void shouldAlertWhenASessionDropsByTheThresholdBelowTheBaselineAndStampItWithTheClosingStreamTime() {
        long t = T0;
        for (int s = 0; s < 3; s++) {
            partition.offer(viewEnd("u", t, s < 2 ? 10_000 : 7_000), -1);
            t += GAP + 1;
        }
        partition.advanceTo(t + GAP + GRACE);

        EngagementAlert alert = partition.alerts().get(0);
        assertThat(partition.alerts()).hasSize(1);
        long start = T0 + 2 * (GAP + 1);
        assertThat(alert.alertId()).isEqualTo(AlertIds.engagementDrop("u", start, start));
        assertThat(alert.type()).isEqualTo(AlertType.ENGAGEMENT_DROP);
        assertThat(alert.asdMs()).isEqualTo(7_000.0);
        assertThat(alert.baselineAsdMs()).isEqualTo(10_000.0);
        assertThat(alert.dropRatio()).isEqualTo(0.3);
        assertThat(alert.detectedAtMs()).isEqualTo(t + GAP + GRACE);
    }

    @Test
    void shouldNotAlertJustUnderTheThreshold() {
        partition.offer(viewEnd("u", T0, 10_000), -1);
        partition.offer(viewEnd("u", T0 + GAP + 1, 7_001), -1);
        partition.advanceTo(T0 + 3 * GAP + GRACE);

        assertThat(partition.closed()).hasSize(2);
        assertThat(partition.alerts()).isEmpty();
    }

    @Test
    void shouldMergeTwoSessionsAnEventBridges() {
        partition.offer(viewEnd("u", T0, 10_000), -1);
        partition.offer(viewEnd("u", T0 + 2 * GAP, 20_000), -1);
        // with a 2-minute grace the bridging event is late at stream time T0 + 2 gap; with a grace of 2 gaps it is not
        assertThat(partition.offer(click("u", T0 + GAP), -1)).isEqualTo(Outcome.LATE);

        PartitionSessions wide = new PartitionSessions(new SessionWindowRule(GAP, 2 * GAP), new BaselineRule(0.3, 0.3));
        wide.offer(viewEnd("u", T0, 10_000), -1);
        wide.offer(viewEnd("u", T0 + 2 * GAP, 20_000), -1);
        assertThat(wide.open()).hasSize(2);
        assertThat(wide.offer(click("u", T0 + GAP), -1)).isEqualTo(Outcome.ACCEPTED);

        assertThat(wide.open()).singleElement().satisfies(s -> {
            assertThat(s.sessionStartMs()).isEqualTo(T0);
            assertThat(s.sessionEndMs()).isEqualTo(T0 + 2 * GAP);
            assertThat(s.events()).isEqualTo(3);
            assertThat(s.clicks()).isEqualTo(1);
        });
    }

    @Test
    void shouldLeaveTheIndexEntryOfASessionThatOnlyGrewAtItsEndAndMoveItWhenItComesDue() {
        MemorySessionState state = new MemorySessionState();
        SessionEngine engine = new SessionEngine(new SessionWindowRule(GAP, GRACE), new BaselineRule(0.3, 0.3), state,
                new Recording());
        engine.add(viewEnd("u", T0, 10_000), -1);
        engine.add(viewEnd("u", T0 + 10 * MIN, 10_000), -1);
        assertThat(state.indexEntries()).containsExactly(new IndexEntry(T0, T0, "u"));

        engine.advance(T0 + 10 * MIN, T0 + GAP + GRACE + 1);

        assertThat(state.indexEntries()).containsExactly(new IndexEntry(T0 + 10 * MIN, T0, "u"));
        assertThat(state.openSessions().get("u")).containsExactly(new OpenSession(
                state.openSessions().get("u").get(0).session(), T0 + 10 * MIN));
    }

    @Test
    void shouldCloseDueSessionsInEndStartUserOrderWithUserIdsComparedAsUtf8Bytes() {
        // a supplementary character sorts before U+FFFF as UTF-16 chars but after it as UTF-8 bytes (F0.. > EF..)
        for (String user : List.of("\uD83D\uDE00", "\uFFFF", "z", "a")) {
            partition.offer(viewEnd(user, T0, 10_000), -1);
        }
        partition.offer(viewEnd("b", T0 - MIN, 10_000), -1);
        partition.advanceTo(T0 + GAP + GRACE + 1);

        assertThat(partition.closed()).extracting(c -> c.session().userId())
                .containsExactly("b", "a", "z", "\uFFFF", "\uD83D\uDE00");
    }

    @Test
    void shouldSkipEventsWithoutUserOrTypeAndDivertLateOnesWithoutMovingTime() {
        assertThat(partition.offer(null, -1)).isEqualTo(Outcome.INVALID);
        assertThat(partition.offer(Events.event(null, io.streamfleet.contracts.event.EngagementEventType.CLICK, T0, 0,
                false), -1)).isEqualTo(Outcome.INVALID);
        assertThat(partition.streamTimeMs()).isEqualTo(Long.MIN_VALUE);

        assertThat(partition.offer(viewEnd("u", T0, 1), -1)).isEqualTo(Outcome.ACCEPTED);
        assertThat(partition.offer(viewEnd("u", T0 - GRACE, 1), -1)).isEqualTo(Outcome.ACCEPTED);
        assertThat(partition.offer(viewEnd("v", T0 - GRACE - 1, 1), -1)).isEqualTo(Outcome.LATE);
        assertThat(partition.streamTimeMs()).isEqualTo(T0);
        assertThat(partition.open()).extracting(EngagementSession::userId).containsExactly("u");
    }

    /** A sink that keeps nothing but a count. */
    private static final class Recording implements SessionSink {
        int closed;

        @Override
        public void closed(EngagementSession session, io.streamfleet.session.metrics.SessionAggregate aggregate,
                           long closedAtMs) {
            closed++;
        }

        @Override
        public void drop(EngagementAlert alert, EngagementSession session,
                         io.streamfleet.session.metrics.SessionAggregate aggregate) {
        }
    }
}
