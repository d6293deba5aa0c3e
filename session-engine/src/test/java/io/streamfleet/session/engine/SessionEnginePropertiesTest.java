package io.streamfleet.session.engine;

import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.session.baseline.Baseline;
import io.streamfleet.session.baseline.BaselineRule;
import io.streamfleet.session.baseline.DropAlerts;
import io.streamfleet.session.metrics.SessionAggregate;
import io.streamfleet.session.metrics.SessionWindowRule;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static io.streamfleet.session.engine.Events.GAP;
import static io.streamfleet.session.engine.Events.GRACE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine against a reference written from the rules alone (per user: events in time order, a new session after
 * more than the gap, each closed session judged against the baseline of the ones before it), for arrival orders that
 * keep every event within the grace; and its closing index kept exact along the way.
 */
class SessionEnginePropertiesTest {

    private static final SessionWindowRule WINDOW = new SessionWindowRule(GAP, GRACE);
    private static final BaselineRule RULE = new BaselineRule(0.3, 0.30);

    /** An alert without the stream time that raised it (which depends on the other users of the partition). */
    record AlertFacts(String alertId, long start, long end, double asd, double baseline, double ratio, String note) {

        static AlertFacts of(EngagementAlert a) {
            return new AlertFacts(a.alertId(), a.sessionStartMs(), a.sessionEndMs(), a.asdMs(), a.baselineAsdMs(),
                    a.dropRatio(), a.note());
        }
    }

    @Property(tries = 60)
    void shouldCloseTheSessionsAndRaiseTheAlertsTheRulesDefineWhateverTheArrivalOrderWithinGrace(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int users) {
        List<EngagementEvent> events = Events.stream(new SplittableRandom(seed), users);
        List<EngagementEvent> arrivals = Events.delayed(events, new SplittableRandom(~seed), GRACE);

        PartitionSessions partition = new PartitionSessions(WINDOW, RULE);
        arrivals.forEach(e -> assertThat(partition.offer(e, -1)).isEqualTo(PartitionSessions.Outcome.ACCEPTED));
        long last = events.stream().mapToLong(EngagementEvent::eventTimeMs).max().orElseThrow();
        partition.advanceTo(last + GAP + GRACE + 1);

        Map<String, List<EngagementSession>> sessions = new TreeMap<>();
        partition.closed().forEach(c -> sessions.computeIfAbsent(c.session().userId(), u -> new ArrayList<>())
                .add(c.session()));
        Map<String, List<AlertFacts>> alerts = new TreeMap<>();
        partition.alerts().forEach(a -> alerts.computeIfAbsent(a.userId(), u -> new ArrayList<>())
                .add(AlertFacts.of(a)));
        Reference reference = Reference.of(events);
        assertThat(partition.open()).isEmpty();
        assertThat(sessions).isEqualTo(reference.sessions());
        assertThat(alerts).isEqualTo(reference.alerts());
        for (PartitionSessions.Closed closed : partition.closed()) {
            assertThat(WINDOW.isClosed(closed.session().sessionEndMs(), closed.closedAtMs())).isTrue();
        }
        Statistics.label("alerts").collect(!alerts.isEmpty());
        Statistics.label("alerts").coverage(c -> c.check(true).percentage(p -> p >= 30));
    }

    @Property(tries = 60)
    void shouldKeepExactlyOneIndexEntryPerOpenSessionKeyedAtOrBeforeItsEnd(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int users) {
        List<EngagementEvent> arrivals = Events.delayed(Events.stream(new SplittableRandom(seed), users),
                new SplittableRandom(seed + 1), GRACE);
        MemorySessionState state = new MemorySessionState();
        List<EngagementSession> closed = new ArrayList<>();
        SessionEngine engine = new SessionEngine(WINDOW, RULE, state, new SessionSink() {
            @Override
            public void closed(EngagementSession session, SessionAggregate aggregate, long closedAtMs) {
                closed.add(session);
            }

            @Override
            public void drop(EngagementAlert alert, EngagementSession session, SessionAggregate aggregate) {
            }
        });
        long time = Long.MIN_VALUE;
        for (EngagementEvent event : arrivals) {
            assertThat(engine.isLate(event.eventTimeMs(), time)).isFalse();
            engine.add(event, -1);
            if (event.eventTimeMs() > time) {
                long before = time;
                time = event.eventTimeMs();
                engine.advance(before, time);
            }
            List<IndexEntry> expected = new ArrayList<>();
            long now = time;
            state.openSessions().forEach((user, open) -> open.forEach(o -> {
                assertThat(o.indexedEndMs()).isBetween(o.session().startMs(), o.session().endMs());
                assertThat(WINDOW.isClosed(o.session().endMs(), now)).isFalse();
                expected.add(o.entry(user));
            }));
            expected.sort(IndexEntry.ORDER);
            assertThat(state.indexEntries()).isEqualTo(expected);
        }
        assertThat(closed).allSatisfy(s -> assertThat(s.events()).isPositive());
    }

    /** The sessions and alerts the rules define, computed per user from the events alone. */
    record Reference(Map<String, List<EngagementSession>> sessions, Map<String, List<AlertFacts>> alerts) {

        static Reference of(List<EngagementEvent> events) {
            Map<String, List<EngagementEvent>> byUser = new TreeMap<>();
            events.forEach(e -> byUser.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e));
            Map<String, List<EngagementSession>> sessions = new TreeMap<>();
            Map<String, List<AlertFacts>> alerts = new TreeMap<>();
            byUser.forEach((user, list) -> {
                list.sort(Comparator.comparingLong(EngagementEvent::eventTimeMs));
                List<SessionAggregate> closed = new ArrayList<>();
                SessionAggregate current = null;
                for (EngagementEvent e : list) {
                    if (current != null && e.eventTimeMs() - current.endMs() > GAP) {
                        closed.add(current);
                        current = null;
                    }
                    current = current == null ? SessionAggregate.of(e, -1) : current.plus(e, -1);
                }
                closed.add(current);
                Baseline baseline = null;
                for (SessionAggregate aggregate : closed) {
                    EngagementSession session = aggregate.toSession(user);
                    sessions.computeIfAbsent(user, u -> new ArrayList<>()).add(session);
                    BaselineRule.Verdict verdict = RULE.judge(baseline, session, aggregate.asdMs());
                    if (verdict.drop()) {
                        alerts.computeIfAbsent(user, u -> new ArrayList<>())
                                .add(AlertFacts.of(DropAlerts.of(session, aggregate.asdMs(), verdict, 0)));
                    }
                    baseline = verdict.next();
                }
            });
            return new Reference(sessions, alerts);
        }
    }
}
