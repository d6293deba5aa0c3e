package io.streamfleet.session.topology;

import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.session.baseline.Baseline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.streamfleet.session.support.Engagement.click;
import static io.streamfleet.session.support.Engagement.viewEnd;
import static io.streamfleet.session.support.Engagement.viewStart;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Default settings: gap 30 min, grace 120 s, α 0.3, drop 30 %. Times are event-time milliseconds; stream time moves
 * only by events and by stream-processor's stream-time marks (docs/event-time.md).
 */
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
    void shouldCloseASessionThatOutgrewItsIndexEntryOnlyOnceItsOwnEndIsGapPlusGraceBehindAndInEndOrder() {
        // u1's session is indexed at its first event and then grows by 20 min; u2's short session ends in between
        d.pipe(viewEnd("u1", DAY, 1_000, false));
        d.pipe(viewEnd("u2", DAY + 5 * MIN, 2_000, false));
        d.pipe(viewEnd("u1", DAY + 20 * MIN, 3_000, false));
        d.progress(DAY + GAP + GRACE + 1);
        // u1's entry (keyed at DAY) came due, but the session ends at DAY + 20 min: only re-indexed, not closed
        assertThat(d.drainSessions()).isEmpty();
        d.progress(DAY + 5 * MIN + GAP + GRACE + 1);
        assertThat(d.drainSessions()).extracting(EngagementSession::userId).containsExactly("u2");
        d.progress(DAY + 20 * MIN + GAP + GRACE);
        assertThat(d.drainSessions()).as("not before its end is gap + grace behind").isEmpty();
        d.progress(DAY + 20 * MIN + GAP + GRACE + 1);

        assertThat(d.drainSessions()).singleElement().satisfies(s -> {
            assertThat(s.userId()).isEqualTo("u1");
            assertThat(s.sessionStartMs()).isEqualTo(DAY);
            assertThat(s.sessionEndMs()).isEqualTo(DAY + 20 * MIN);
            assertThat(s.events()).isEqualTo(2);
        });
    }

    @Test
    void shouldCloseSessionsDueAtOneMarkInEndStartUserOrderWhateverTheirIndexEntries() {
        // u9 is indexed early and grows past u1's end; u1 is indexed at its end. One mark closes both.
        d.pipe(viewEnd("u9", DAY, 1_000, false));
        d.pipe(viewEnd("u1", DAY + 2 * MIN, 1_000, false));
        d.pipe(viewEnd("u9", DAY + 3 * MIN, 1_000, false));
        d.pipe(viewEnd("u0", DAY + 3 * MIN, 1_000, false));
        d.progress(DAY + 3 * MIN + GAP + GRACE + 1);

        assertThat(d.drainSessions()).extracting(EngagementSession::userId, EngagementSession::sessionEndMs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("u1", DAY + 2 * MIN),
                        // same end: the earlier start first, before the user name
                        org.assertj.core.groups.Tuple.tuple("u9", DAY + 3 * MIN),
                        org.assertj.core.groups.Tuple.tuple("u0", DAY + 3 * MIN));
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
    void shouldCloseAQuietUsersSessionAndEmitTheDropAlertWhenAMarkPassesEndPlusGapPlusGrace() {
        long t = DAY;
        for (int i = 0; i < 3; i++) {
            d.pipe(viewEnd("quiet", t, 40_000, true));
            t += GAP + 10 * MIN;
        }
        long start = t;
        long end = start + 5_000;
        d.pipe(viewStart("quiet", start), viewEnd("quiet", end, 10_000, false));
        assertThat(d.drainSessions()).as("the earlier sessions closed by the user's own later events").hasSize(3);

        d.progress(end + GAP + GRACE);
        assertThat(d.drainSessions()).as("closed only once stream time is strictly past end + gap + grace").isEmpty();
        d.progress(end + GAP + GRACE + 1);

        assertThat(d.drainSessions()).singleElement().satisfies(s -> {
            assertThat(s.sessionStartMs()).isEqualTo(start);
            assertThat(s.sessionEndMs()).isEqualTo(end);
        });
        List<TestRecord<String, EngagementAlert>> alerts = d.alerts.readRecordsToList();
        assertThat(alerts).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("quiet");
            assertThat(r.value().sessionEndMs()).isEqualTo(end);
            assertThat(r.value().asdMs()).isEqualTo(10_000.0);
            assertThat(r.value().baselineAsdMs()).isEqualTo(40_000.0);
            assertThat(r.value().detectedAtMs()).as("the stream time that closed the session")
                    .isEqualTo(end + GAP + GRACE + 1);
            assertThat(r.timestamp()).isEqualTo(end + GAP + GRACE + 1);
        });
        assertThat(d.meter("streamfleet.session.progress.marks")).isEqualTo(2);
    }

    @Test
    void shouldMoveNothingWhenOnlyTheWallClockAdvances() {
        d.pipe(viewEnd("u1", DAY, 1_000, false));
        d.advanceWallClock(Duration.ofDays(30));

        assertThat(d.drainSessions()).as("no idle advance: a quiet partition keeps its time").isEmpty();
        assertThat(d.meter("streamfleet.session.open")).isEqualTo(1);
        // an event at the edge of the grace behind the last event time is on time, however much wall time passed
        d.pipe(viewEnd("u1", DAY - GRACE, 2_000, false));
        assertThat(d.late.isEmpty()).isTrue();

        d.progress(DAY + GAP + GRACE + 1);
        assertThat(d.drainSessions()).singleElement().satisfies(s -> assertThat(s.asdMs()).isEqualTo(1_500.0));
    }

    @Test
    void shouldNeverTreatAProgressRecordAsAnEventNorAsLate() {
        d.progress(DAY - 10 * MIN);
        d.pipe(viewEnd("u1", DAY, 1_000, false));
        // a mark far behind stream time: as an event it would be late; as a mark it changes nothing
        d.progress(DAY - 10 * GRACE);
        d.progress(DAY);
        d.advanceWallClock(Duration.ofSeconds(1));

        assertThat(d.late.isEmpty()).isTrue();
        assertThat(d.meter("streamfleet.session.late.events")).isZero();
        assertThat(events("accepted")).isEqualTo(1);
        assertThat(events("invalid")).isZero();
        assertThat(d.meter("streamfleet.session.open")).isEqualTo(1);
        assertThat(d.meter("streamfleet.session.progress.marks")).isEqualTo(3);
        assertThat(d.driver.getKeyValueStore(SessionStores.OPEN).approximateNumEntries()).isEqualTo(1);

        d.progress(DAY + GAP + GRACE + 1);
        assertThat(d.drainSessions()).singleElement().satisfies(s -> {
            assertThat(s.userId()).isEqualTo("u1");
            assertThat(s.events()).isEqualTo(1);
        });
        assertThat(d.late.isEmpty()).isTrue();
    }

    @Test
    void shouldSkipAndCountAMalformedProgressRecordWithoutMovingTime() {
        d.pipe(viewEnd("u1", DAY, 1_000, false));
        RecordHeaders malformed = new RecordHeaders();
        malformed.add(ProgressRecords.SOURCE, "stream-processor".getBytes(StandardCharsets.UTF_8));
        malformed.add(ProgressRecords.KIND, "stream-time".getBytes(StandardCharsets.UTF_8));
        malformed.add(ProgressRecords.TIME_MS, "not-a-number".getBytes(StandardCharsets.UTF_8));
        d.progress(malformed);
        RecordHeaders withoutKind = new RecordHeaders();
        withoutKind.add(ProgressRecords.SOURCE, "stream-processor".getBytes(StandardCharsets.UTF_8));
        d.progress(withoutKind);

        assertThat(d.registry.get("streamfleet.session.progress.invalid").tag("reason", "malformed").counter()
                .count()).isEqualTo(2);
        assertThat(d.meter("streamfleet.session.progress.marks")).isZero();
        assertThat(events("accepted")).isEqualTo(1);
        assertThat(events("invalid")).isZero();
        d.pipe(viewEnd("u1", DAY - GRACE, 3_000, false));
        assertThat(d.late.isEmpty()).as("stream time did not move").isTrue();
        assertThat(d.drainSessions()).isEmpty();
        d.progress(DAY + GAP + GRACE + 1);
        assertThat(d.drainSessions()).singleElement().satisfies(s -> assertThat(s.events()).isEqualTo(2));
    }

    @Test
    void shouldNeverMoveStreamTimeBackWhenAnOlderMarkFollowsANewerOne() {
        d.pipe(viewEnd("u1", DAY, 1_000, false));
        d.progress(DAY + GAP + GRACE + 1);
        d.progress(DAY);
        d.pipe(viewEnd("u2", DAY + GAP + GRACE + 1 - GRACE - 1, 1_000, false));
        assertThat(d.late.readValuesToList()).extracting(EngagementEvent::userId).containsExactly("u2");
        assertThat(d.drainSessions()).extracting(EngagementSession::userId).containsExactly("u1");
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
    void shouldReportOpenSessionsBaselinesAndStreamTimeLagAsGauges() {
        d.pipe(viewEnd("a", DAY, 1, false), viewEnd("b", DAY, 1, false), viewEnd("c", DAY + GAP + GRACE + 1, 1, false));
        d.advanceWallClock(Duration.ofSeconds(1));

        assertThat(d.meter("streamfleet.session.open")).isEqualTo(1);
        assertThat(d.meter("streamfleet.session.baselines")).isEqualTo(2);
        assertThat(d.meter("streamfleet.session.closed")).isEqualTo(2);
        assertThat(d.meter("streamfleet.session.stream.time.lag.ms"))
                .isEqualTo(SessionDriver.WALL_START.toEpochMilli() - (DAY + GAP + GRACE + 1));
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

    /** session-closings is gone since 2026-12-06: the closing index is rebuilt from session-open on the heap. */
    @Test
    void shouldPinTheStoreNamesBecauseRenamingThemLosesDeployedState() {
        assertThat(SessionStores.names()).containsExactly("session-open", "session-baselines", "session-meta");
        assertThat(d.driver.getAllStateStores().keySet()).containsExactlyInAnyOrderElementsOf(SessionStores.names());
    }

    /**
     * application.yaml sets {@code max.task.idle.ms=-1} (no waiting between a task's partitions): that changes nothing
     * only while every task reads a single partition, i.e. every sub-topology has exactly one source topic.
     */
    @Test
    void shouldReadOneTopicPerSubtopologyWhenTopologyIsBuilt() {
        var topology = SessionTopology.build(SessionTopology.TopicNames.defaults(), SessionSettings.defaults(),
                new SessionMetrics(new SimpleMeterRegistry()));
        List<Set<String>> sources = new java.util.ArrayList<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            Set<String> topics = new TreeSet<>();
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source) {
                    topics.addAll(source.topicSet());
                }
            }
            sources.add(topics);
        }
        assertThat(sources).containsExactly(Set.of(SessionTopology.TopicNames.defaults().inputTopic()));
    }

    private double events(String outcome) {
        return d.registry.get("streamfleet.session.events").tag("outcome", outcome).counter().count();
    }

    /** Moves stream time far enough past {@code lastEventMs} (with a stream-time mark) to close every session. */
    private void flushPast(long lastEventMs) {
        d.progress(lastEventMs + GAP + GRACE + 1);
    }
}
