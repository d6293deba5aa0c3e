package io.streamfleet.session.topology;

import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.session.baseline.Baseline;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.streamfleet.session.support.Engagement.click;
import static io.streamfleet.session.support.Engagement.viewEnd;
import static io.streamfleet.session.support.Engagement.viewStart;
import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §6 defaults: gap 30 min, grace 120 s, α 0.3, drop 30 %. Times are event-time milliseconds. */
class SessionTopologyTest {

    private static final long MIN = 60_000;
    private static final long GAP = 30 * MIN;
    private static final long GRACE = 120_000;
    private static final long DAY = 24 * 60 * MIN;

    private final SessionDriver d = new SessionDriver();

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void shouldSplitSessionsOnAGapLongerThanTheInactivityGap() {
        d.pipe(viewStart("u1", DAY), viewEnd("u1", DAY + 10_000, 10_000, true),
                viewStart("u1", DAY + 10_000 + GAP + 1), viewEnd("u1", DAY + 20_000 + GAP + 1, 4_000, false));
        flushPast(DAY + 20_000 + GAP + 1);

        List<EngagementSession> sessions = d.drainSessions();
        assertThat(sessions).extracting(EngagementSession::sessionStartMs, EngagementSession::sessionEndMs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(DAY, DAY + 10_000),
                        org.assertj.core.groups.Tuple.tuple(DAY + 10_000 + GAP + 1, DAY + 20_000 + GAP + 1));
        assertThat(sessions).extracting(EngagementSession::asdMs).containsExactly(10_000.0, 4_000.0);
    }

    @Test
    void shouldKeepEventsExactlyOneGapApartInOneSession() {
        d.pipe(viewEnd("u1", DAY, 1_000, false), viewEnd("u1", DAY + GAP, 3_000, false));
        flushPast(DAY + GAP);

        assertThat(d.drainSessions()).singleElement().satisfies(s -> {
            assertThat(s.sessionStartMs()).isEqualTo(DAY);
            assertThat(s.sessionEndMs()).isEqualTo(DAY + GAP);
            assertThat(s.asdMs()).isEqualTo(2_000.0);
        });
    }

    @Test
    void shouldPublishOnlyTheMergedSessionWhenALateEventBridgesTwoSessions() {
        long aEnd = DAY + MIN;
        long bStart = aEnd + GAP + MIN;
        d.pipe(viewEnd("u1", DAY, 1_000, true), viewEnd("u1", aEnd, 3_000, false));
        d.pipe(viewEnd("u1", bStart, 5_000, true));
        // arrives out of order, within grace of stream time (bStart), and within the gap of both sessions
        d.pipe(viewEnd("u1", aEnd + GAP, 7_000, false));
        assertThat(d.meter("streamfleet.session.merges")).isEqualTo(1);
        flushPast(bStart);

        assertThat(d.drainSessions()).singleElement().satisfies(s -> {
            assertThat(s.sessionStartMs()).isEqualTo(DAY);
            assertThat(s.sessionEndMs()).isEqualTo(bStart);
            assertThat(s.events()).isEqualTo(4);
            assertThat(s.viewEnds()).isEqualTo(4);
            assertThat(s.asdMs()).isEqualTo(4_000.0);
            assertThat(s.completionRate()).isEqualTo(0.5);
        });
        assertThat(d.late.isEmpty()).isTrue();
    }

    @Test
    void shouldSendEventsBeyondGraceToTheLateTopicWithoutTouchingState() {
        d.pipe(viewEnd("u1", DAY + 10 * MIN, 1_000, false));
        EngagementEvent tooLate = viewEnd("u1", DAY + 10 * MIN - GRACE - 1, 99_000, false);
        EngagementEvent justInTime = viewEnd("u1", DAY + 10 * MIN - GRACE, 3_000, false);
        d.pipe(tooLate, justInTime);
        flushPast(DAY + 10 * MIN);

        List<TestRecord<String, EngagementEvent>> late = d.late.readRecordsToList();
        assertThat(late).singleElement().satisfies(r -> {
            assertThat(r.value()).isEqualTo(tooLate);
            assertThat(r.key()).isEqualTo("u1");
            assertThat(new String(r.headers().lastHeader(Headers.LATE_AT_STAGE).value())).isEqualTo("session-analytics");
            assertThat(Headers.decodeLong(r.headers().lastHeader(Headers.LATE_WATERMARK_MS), 0))
                    .isEqualTo(DAY + 10 * MIN - GRACE);
        });
        assertThat(d.drainSessions()).singleElement().satisfies(s -> assertThat(s.asdMs()).isEqualTo(2_000.0));
        assertThat(d.meter("streamfleet.session.late.events")).isEqualTo(1);
    }

    @Test
    void shouldCloseAQuietUsersSessionByIdleAdvanceWithinBoundedWallClockTime() {
        d.pipe(viewEnd("u1", DAY, 1_000, false));
        // idle advance moves stream time by the wall time elapsed since the last record: the session closes once
        // gap + grace have elapsed, give or take the idle timeout and a punctuation interval
        d.advanceWallClock(Duration.ofMillis(GAP + GRACE - 1_000));
        assertThat(d.drainSessions()).isEmpty();
        d.advanceWallClock(Duration.ofSeconds(2));
        assertThat(d.drainSessions()).singleElement()
                .satisfies(s -> assertThat(s.sessionEndMs()).isEqualTo(DAY));
    }

    @Test
    void shouldCloseByIdleAdvanceForHistoricalEventTimesAsForLiveOnes() {
        long longAgo = 86_400_000L * 3;
        d.pipe(viewEnd("old", longAgo, 1_000, false));
        d.advanceWallClock(Duration.ofSeconds(10));
        assertThat(d.drainSessions()).as("stream time moved by 10 s, not to the wall clock").isEmpty();
        d.advanceWallClock(Duration.ofMillis(GAP + GRACE));
        assertThat(d.drainSessions()).hasSize(1);
    }

    @Test
    void shouldAlertOnceWhenASessionDropsBelowABaselineBuiltOverManySessions() {
        long t = DAY;
        for (int i = 0; i < 10; i++) {
            d.pipe(viewStart("u1", t), viewEnd("u1", t + 40_000, 40_000, true), click("u1", t + 41_000));
            t += GAP + 10 * MIN;
        }
        long dropped = t;
        d.pipe(viewStart("u1", dropped), viewEnd("u1", dropped + 20_000, 20_000, false));
        flushPast(dropped + 20_000);

        assertThat(d.drainSessions()).hasSize(11);
        List<EngagementAlert> alerts = d.drainAlerts();
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.userId()).isEqualTo("u1");
            assertThat(a.sessionStartMs()).isEqualTo(dropped);
            assertThat(a.asdMs()).isEqualTo(20_000.0);
            assertThat(a.baselineAsdMs()).isEqualTo(40_000.0);
            assertThat(a.dropRatio()).isEqualTo(0.5);
        });
        Baseline baseline = d.baseline("u1");
        assertThat(baseline.sessions()).isEqualTo(11);
        assertThat(baseline.emaAsdMs()).isEqualTo(0.3 * 20_000 + 0.7 * 40_000);
    }

    /**
     * Three users, worked by hand. ann: sessions with asd 1000, 500 (drop 50 %: alert; EMA 850), 600 (29.4 % below
     * 850: no alert). bob: 2000 then a session without view_end (asd 0: 100 % drop, alert). cy: one session only.
     */
    @Test
    void shouldMatchAHandComputedMultiUserExample() {
        long s1 = DAY;
        long s2 = s1 + GAP + 5 * MIN;
        long s3 = s2 + GAP + 5 * MIN;
        d.pipe(viewEnd("ann", s1, 800, true), viewEnd("ann", s1 + 1_000, 1_200, false),
                viewEnd("bob", s1 + 500, 2_000, true), click("bob", s1 + 600),
                viewEnd("cy", s1 + 700, 0, true));
        d.pipe(viewEnd("ann", s2, 500, false), viewStart("bob", s2 + 100), click("bob", s2 + 200),
                click("bob", s2 + 300));
        d.pipe(viewEnd("ann", s3, 600, true));
        flushPast(s3);

        List<EngagementSession> sessions = d.drainSessions();
        assertThat(sessions).containsExactlyInAnyOrder(
                new EngagementSession("ann", s1, s1 + 1_000, 2, 2, 1_000.0, 0.5, 0),
                new EngagementSession("bob", s1 + 500, s1 + 600, 2, 1, 2_000.0, 1.0, 1),
                new EngagementSession("cy", s1 + 700, s1 + 700, 1, 1, 0.0, 1.0, 0),
                new EngagementSession("ann", s2, s2, 1, 1, 500.0, 0.0, 0),
                new EngagementSession("bob", s2 + 100, s2 + 300, 3, 0, 0.0, 0.0, 2),
                new EngagementSession("ann", s3, s3, 1, 1, 600.0, 1.0, 0));
        assertThat(d.drainAlerts())
                .extracting(EngagementAlert::userId, EngagementAlert::asdMs, EngagementAlert::baselineAsdMs,
                        EngagementAlert::dropRatio)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("ann", 500.0, 1_000.0, 0.5),
                        org.assertj.core.groups.Tuple.tuple("bob", 0.0, 2_000.0, 1.0));
        assertThat(d.baseline("ann").emaAsdMs()).isEqualTo(0.3 * 600 + 0.7 * 850);
        assertThat(d.baseline("cy").emaAsdMs()).isZero();
        assertThat(d.meter("streamfleet.session.closed")).isEqualTo(6);
        assertThat(d.meter("streamfleet.session.alerts")).isEqualTo(2);
    }

    @Test
    void shouldCarryTheLatestIngestionTimeOfTheSessionOnSessionAndAlert() {
        d.pipe(viewEnd("u1", DAY, 10_000, false), 111);
        d.pipe(viewEnd("u1", DAY + GAP + 10 * MIN, 1_000, false), 222);
        d.pipe(viewEnd("u1", DAY + GAP + 10 * MIN + 1, 1_000, false), 333);
        flushPast(DAY + GAP + 10 * MIN + 1);

        var sessions = d.sessions.readRecordsToList();
        assertThat(sessions).extracting(r -> Headers.decodeLong(r.headers().lastHeader(Headers.INGESTED_AT_MS), 0))
                .containsExactly(111L, 333L);
        var alert = d.alerts.readRecord();
        assertThat(Headers.decodeLong(alert.headers().lastHeader(Headers.INGESTED_AT_MS), 0)).isEqualTo(333L);
        assertThat(alert.key()).isEqualTo("u1");
    }

    @Test
    void shouldReportOpenSessionsAndBaselinesAsGauges() {
        d.pipe(viewEnd("a", DAY, 1, false), viewEnd("b", DAY, 1, false), viewEnd("c", DAY + GAP + GRACE + 1, 1, false));
        d.advanceWallClock(Duration.ofSeconds(1));

        assertThat(d.meter("streamfleet.session.open")).isEqualTo(1);
        assertThat(d.meter("streamfleet.session.baselines")).isEqualTo(2);
        assertThat(d.meter("streamfleet.session.closed")).isEqualTo(2);
    }

    @Test
    void shouldWorkTheSameOnRocksDbStores() {
        try (SessionDriver rocks = new SessionDriver(SessionSettings.defaults(), true)) {
            rocks.pipe(viewEnd("u1", DAY, 1_000, false), viewEnd("u1", DAY + GAP + MIN, 500, false));
            rocks.pipe(viewEnd("zz", DAY + 3 * GAP, 1, false));
            assertThat(rocks.drainSessions()).hasSize(2);
            assertThat(rocks.drainAlerts()).hasSize(1);
        }
    }

    @Test
    void shouldPinTheStoreNamesBecauseRenamingThemLosesDeployedState() {
        assertThat(SessionStores.names())
                .containsExactly("session-open", "session-closings", "session-baselines", "session-meta");
        assertThat(d.driver.getAllStateStores().keySet()).containsExactlyInAnyOrderElementsOf(SessionStores.names());
    }

    /** Moves stream time far enough past {@code lastEventMs} (with another user's event) to close every session. */
    private void flushPast(long lastEventMs) {
        d.pipe(viewStart("zz-flush", lastEventMs + GAP + GRACE + 1));
    }
}
