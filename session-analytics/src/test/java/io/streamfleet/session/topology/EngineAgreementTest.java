package io.streamfleet.session.topology;

import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.session.engine.PartitionSessions;
import io.streamfleet.session.support.Engagement;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.apache.kafka.streams.test.TestRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processor is an adapter: on one partition's records — events of several users in an arrival order that makes
 * some late, and stream-time marks between them — the topology (TopologyTestDriver, RocksDB or in-memory stores)
 * writes exactly the sessions, alerts and late events, in the same order and with the same timestamps, that the
 * session engine decides when fed the same records directly ({@link PartitionSessions}).
 */
class EngineAgreementTest {

    private static final long MIN = 60_000;
    private static final SessionSettings SETTINGS = SessionSettings.defaults();
    private static final long GAP = SETTINGS.window().gapMs();
    private static final long GRACE = SETTINGS.window().graceMs();

    /** One record of the partition: an event or a stream-time mark. */
    record Input(EngagementEvent event, long markMs) {
    }

    @Property(tries = 25)
    void shouldWriteWhatTheEngineDecides(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int users,
                                         @ForAll boolean rocksDb) {
        List<Input> inputs = partition(new SplittableRandom(seed), users);

        PartitionSessions engine = new PartitionSessions(SETTINGS.window(), SETTINGS.baseline());
        List<String> engineLate = new ArrayList<>();
        for (Input input : inputs) {
            if (input.event() == null) {
                engine.advanceTo(input.markMs());
            } else if (engine.offer(input.event(), input.markMs()) == PartitionSessions.Outcome.LATE) {
                engineLate.add(input.event().eventId());
            }
        }

        try (SessionDriver d = new SessionDriver(SETTINGS, rocksDb)) {
            for (Input input : inputs) {
                if (input.event() == null) {
                    d.progress(input.markMs());
                } else {
                    d.pipe(input.event(), input.markMs());
                }
            }
            List<TestRecord<String, EngagementSession>> sessions = d.sessions.readRecordsToList();
            List<TestRecord<String, EngagementAlert>> alerts = d.alerts.readRecordsToList();

            assertThat(engine.closed()).isNotEmpty();
            assertThat(sessions).extracting(TestRecord::value)
                    .containsExactlyElementsOf(engine.closed().stream().map(PartitionSessions.Closed::session).toList());
            assertThat(sessions).extracting(r -> r.timestamp()).containsExactlyElementsOf(
                    engine.closed().stream().map(c -> c.session().sessionEndMs()).toList());
            assertThat(alerts).extracting(TestRecord::value).containsExactlyElementsOf(engine.alerts());
            assertThat(alerts).extracting(r -> r.timestamp()).containsExactlyElementsOf(
                    engine.alerts().stream().map(EngagementAlert::detectedAtMs).toList());
            assertThat(d.late.readValuesToList()).extracting(EngagementEvent::eventId)
                    .containsExactlyElementsOf(engineLate);
        }
        // the generated partitions must reach both decisions that matter, not just quiet sessions
        Statistics.label("alerts").collect(!engine.alerts().isEmpty());
        Statistics.label("late").collect(!engineLate.isEmpty());
        Statistics.label("alerts").coverage(c -> c.check(true).percentage(p -> p >= 30));
        Statistics.label("late").coverage(c -> c.check(true).percentage(p -> p >= 30));
    }

    /**
     * Users' sessions of views and clicks (dwell dropping now and then, so some alert), one in six delivered more than
     * the grace after its event time (so some are late), with stream-time marks slightly ahead of the data now and then; the mark field of an
     * event is its ingestion time. A final mark closes everything.
     */
    private static List<Input> partition(SplittableRandom rng, int users) {
        record Arrival(EngagementEvent event, long at, int seq) {
        }
        List<Arrival> arrivals = new ArrayList<>();
        int seq = 0;
        long last = 0;
        for (int u = 0; u < users; u++) {
            String user = "user-" + u;
            long t = 1_000_000_000L + rng.nextLong(10 * MIN);
            for (int s = 2 + rng.nextInt(4); s > 0; s--) {
                long dwell = rng.nextInt(3) == 0 ? 1_000 + rng.nextLong(2_000) : 10_000 + rng.nextLong(10_000);
                for (int v = 1 + rng.nextInt(5); v > 0; v--) {
                    EngagementEvent event = rng.nextInt(4) == 0 ? Engagement.click(user, t)
                            : Engagement.event(user, EngagementEventType.VIEW_END, t, dwell + rng.nextLong(500),
                            rng.nextBoolean());
                    long delay = rng.nextInt(6) == 0 ? GRACE + rng.nextLong(2 * GRACE) : rng.nextLong(GRACE / 2);
                    arrivals.add(new Arrival(event, t + delay, seq++));
                    last = Math.max(last, t);
                    t += rng.nextInt(8) == 0 ? GAP : 1_000 + rng.nextLong(4 * MIN);
                }
                t += GAP + 1 + rng.nextLong(40 * MIN);
            }
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at).thenComparingInt(Arrival::seq));
        List<Input> inputs = new ArrayList<>();
        long maxTime = Long.MIN_VALUE;
        for (Arrival a : arrivals) {
            inputs.add(new Input(a.event(), a.seq() % 3 == 0 ? -1 : 5_000_000 + a.seq()));
            maxTime = Math.max(maxTime, a.event().eventTimeMs());
            if (rng.nextInt(6) == 0) {
                inputs.add(new Input(null, maxTime + rng.nextLong(GRACE / 4)));
            }
        }
        inputs.add(new Input(null, last + GAP + GRACE + 1));
        return inputs;
    }
}
