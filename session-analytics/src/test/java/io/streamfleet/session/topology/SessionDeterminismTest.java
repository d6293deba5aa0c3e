package io.streamfleet.session.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.contracts.topic.Topics;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.test.TestRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions and alerts are a function of the input log (events and stream-time marks), down to {@code detectedAtMs}
 * and record timestamps: neither the wall clock nor a restart at any record changes them.
 */
class SessionDeterminismTest {

    private static final long MIN = 60_000;
    private static final long GAP = 30 * MIN;
    private static final long GRACE = 120_000;
    private static final String INPUT = Topics.ENGAGEMENT_CLEAN.name();

    /** One record of engagement.clean: an event or a stream-time mark. */
    sealed interface Entry permits Data, Mark {
    }

    record Data(EngagementEvent event) implements Entry {
    }

    record Mark(long streamTimeMs) implements Entry {
    }

    /** An output record, compared field by field. */
    record Out(String sink, String key, Object value, long timestamp, List<Header> headers) {
    }

    @Property(tries = 10)
    void shouldYieldTheSameSessionsAndAlertsWhenRestartedAtAnyRecordOfTheLog(@ForAll long seed) {
        List<Entry> log = log(new SplittableRandom(seed));
        List<Out> uninterrupted = new Run().feed(log);
        assertThat(uninterrupted).as("the log closes sessions and raises alerts")
                .anyMatch(o -> o.value() instanceof EngagementAlert);

        SplittableRandom cuts = new SplittableRandom(seed);
        for (int cut = 1 + cuts.nextInt(3); cut < log.size(); cut += 1 + cuts.nextInt(5)) {
            Run first = new Run();
            List<Out> out = new ArrayList<>(first.feed(log.subList(0, cut)));
            // a crash after the record at the cut was committed: a new processor on the restored stores
            Run second = first.restarted();
            out.addAll(second.feed(log.subList(cut, log.size())));
            assertThat(out).as("restarted after record %d of %d", cut, log.size()).isEqualTo(uninterrupted);
        }
    }

    @Property(tries = 10)
    void shouldYieldTheSameRecordsWhateverTheWallClockDoesBetweenRecords(@ForAll long seed) {
        List<Entry> log = log(new SplittableRandom(seed));
        SplittableRandom wall = new SplittableRandom(~seed);
        List<TestRecord<String, EngagementAlert>> steady;
        List<TestRecord<String, ?>> steadySessions;
        try (SessionDriver d = new SessionDriver()) {
            log.forEach(e -> pipe(d, e));
            steady = d.alerts.readRecordsToList();
            steadySessions = List.copyOf(d.sessions.readRecordsToList());
        }
        try (SessionDriver d = new SessionDriver()) {
            for (Entry e : log) {
                if (wall.nextInt(3) == 0) {
                    d.advanceWallClock(Duration.ofMillis(wall.nextLong(2 * (GAP + GRACE))));
                }
                pipe(d, e);
            }
            assertThat(d.alerts.readRecordsToList()).isEqualTo(steady);
            assertThat(d.sessions.readRecordsToList()).isEqualTo(steadySessions);
        }
    }

    private static void pipe(SessionDriver d, Entry entry) {
        if (entry instanceof Data data) {
            d.pipe(data.event(), ingestedAt(data));
        } else if (entry instanceof Mark mark) {
            d.progress(mark.streamTimeMs());
        }
    }

    private static long ingestedAt(Data data) {
        return data.event().eventTimeMs() + 7;
    }

    /**
     * A few users whose sessions are either long or short views (so some sessions drop below their baseline), events
     * arriving up to half the grace out of order, some late events, stale marks, and quiet stretches that only
     * stream-time marks carry time across (most of them long enough to close every open session), and a tail that
     * always raises one alert.
     */
    private static List<Entry> log(SplittableRandom rng) {
        int users = 4;
        long[] dwell = new long[users];
        Arrays.fill(dwell, 40_000);
        List<Entry> log = new ArrayList<>();
        long now = 1_700_000_000_000L;
        int ids = 0;
        for (int step = 0; step < 160; step++) {
            int roll = rng.nextInt(16);
            if (roll == 0) {
                long until = now + (rng.nextInt(3) == 0 ? rng.nextLong(GAP) : GAP + GRACE + rng.nextLong(GAP));
                while (now < until) {
                    now = Math.min(until, now + 1 + rng.nextLong(10 * MIN));
                    log.add(new Mark(now));
                }
                for (int u = 0; u < users; u++) {
                    dwell[u] = rng.nextInt(3) == 0 ? 5_000 : 40_000;
                }
            } else if (roll == 1) {
                log.add(new Mark(now - rng.nextLong(GRACE)));
            } else {
                now += rng.nextLong(90_000);
                int user = rng.nextInt(users);
                boolean late = rng.nextInt(25) == 0;
                long t = late ? now - GRACE - 1 - rng.nextLong(MIN) : now - rng.nextLong(GRACE / 2);
                EngagementEventType type = rng.nextInt(4) == 0 ? EngagementEventType.CLICK
                        : EngagementEventType.VIEW_END;
                log.add(new Data(new EngagementEvent("d" + ids++, "user-" + user, "c", type, t,
                        type == EngagementEventType.VIEW_END ? dwell[user] + rng.nextLong(5_000) : 0,
                        rng.nextBoolean())));
            }
        }
        // a tail that always alerts, whatever the random part did: two sessions of one more user, the second far
        // shorter than the first
        for (long dwellMs : new long[] {40_000, 1_000}) {
            now += GAP + GRACE + 1;
            log.add(new Mark(now));
            log.add(new Data(new EngagementEvent("d" + ids++, "user-" + users, "c", EngagementEventType.VIEW_END,
                    now, dwellMs, true)));
        }
        log.add(new Mark(now + GAP + GRACE + 1));
        return log;
    }

    /** One processor instance over stores that outlive it, as a restarted task's restored stores do. */
    private static final class Run {

        private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        private final List<StateStore> stores;
        private final SessionProcessor processor;
        private long offset;

        Run() {
            this(null, 0);
        }

        private Run(List<StateStore> restored, long offset) {
            if (restored == null) {
                restored = new ArrayList<>();
                for (StoreBuilder<?> builder : SessionStores.builders(false)) {
                    // MockProcessorContext cannot host the record cache (session-meta's); the driver tests and the IT run it
                    StateStore store = builder.withLoggingDisabled().withCachingDisabled().build();
                    store.init(context.getStateStoreContext(), store);
                    restored.add(store);
                }
            }
            restored.forEach(context::addStateStore);
            this.stores = restored;
            this.offset = offset;
            this.processor = new SessionProcessor(SessionSettings.defaults(),
                    new SessionMetrics(new SimpleMeterRegistry()), INPUT,
                    new SessionProcessor.Sinks("sessions", "alerts", "late"));
            processor.init(context);
        }

        Run restarted() {
            processor.close();
            return new Run(stores, offset);
        }

        List<Out> feed(List<Entry> entries) {
            for (Entry entry : entries) {
                context.setRecordMetadata(INPUT, 0, offset++);
                if (entry instanceof Data data) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(ingestedAt(data)));
                    processor.process(new Record<>(data.event().userId(), data.event(), data.event().eventTimeMs(),
                            headers));
                } else if (entry instanceof Mark mark) {
                    processor.process(new Record<String, EngagementEvent>(null, null, 0, ProgressRecords.headers(
                            ProgressMark.streamTime(SessionDriver.UPSTREAM, mark.streamTimeMs()))));
                }
            }
            List<Out> out = new ArrayList<>();
            for (var forward : context.forwarded()) {
                Record<? extends String, ?> r = forward.record();
                out.add(new Out(forward.childName().orElse(""), r.key(), r.value(), r.timestamp(),
                        Arrays.asList(r.headers().toArray())));
            }
            context.resetForwards();
            return out;
        }
    }
}
