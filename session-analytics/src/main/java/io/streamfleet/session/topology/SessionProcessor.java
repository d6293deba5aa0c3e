package io.streamfleet.session.topology;

import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.session.baseline.Baseline;
import io.streamfleet.session.engine.ClosingIndex;
import io.streamfleet.session.engine.IndexEntry;
import io.streamfleet.session.engine.OpenSession;
import io.streamfleet.session.engine.SessionEngine;
import io.streamfleet.session.engine.SessionSink;
import io.streamfleet.session.engine.SessionState;
import io.streamfleet.session.metrics.SessionAggregate;
import io.streamfleet.support.processor.LateRoute;
import io.streamfleet.support.processor.ProgressReader;
import io.streamfleet.support.processor.RecordPosition;
import io.streamfleet.support.progress.PartitionTime;
import io.streamfleet.support.progress.TaskStreamTime;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Session windows, session metrics and baseline drops for one partition of {@code engagement.clean}: the Kafka
 * Streams adapter of the {@link SessionEngine} (module session-engine), which holds the rules and decides; this class
 * gives it the task's stores as its state, turns its decisions into records, and owns stream time, lateness, progress
 * records, metrics and the punctuation. Stream time is
 * the partition's {@link PartitionTime}: moved by the event times of the data and by the {@code stream-time} marks
 * stream-processor writes after the data they cover (docs/event-time.md). Per data record:
 * <ol>
 *   <li>Late (event time behind stream time − grace): to {@code engagement.late} with the stage and watermark in
 *   headers, counted, logged; it touches no state and does not move time.</li>
 *   <li>Otherwise the engine adds it to its user's sessions: it joins every open session of its user within the gap of
 *   it — one, none (a new session), or several, which a bridging event merges into one.</li>
 *   <li>Stream time advances to its event time; if it moved, the sessions it made due are closed (below).</li>
 * </ol>
 * Per progress record: the mark is applied to the partition time; if it moved, the sessions it made due are closed.
 * That is how a quiet user's session closes on a partition without further data. A malformed progress record is
 * logged with its position, counted and skipped. A progress record is never an event: never sessionized, never late.
 *
 * <p>Closing (the engine's {@link SessionEngine#advance}): every session that ended more than gap + grace before
 * stream time closes, in (end, start, user) order:
 * the session goes to {@code engagement.sessions}, is judged against its user's baseline (an {@link EngagementAlert}
 * on a drop, detected at — and timestamped with — the stream time that closed it) and then folded into it.
 *
 * <p>Every decision is taken at a record of the input log and depends only on the log: no wall clock, no consumer
 * lag. The wall-clock punctuation only reports metrics. All state — sessions, baselines and the partition time — is
 * in changelogged stores written in the same exactly-once transaction as the output, so a restart resumes with
 * exactly the state of the last committed record and neither loses, repeats nor alters a session or an alert. The
 * closing index is derived from the stored sessions and rebuilt from them at every {@link #init}.
 */
public final class SessionProcessor implements Processor<String, EngagementEvent, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(SessionProcessor.class);
    private static final String STAGE = "session-analytics";

    /** Names of the sinks this processor forwards to. */
    public record Sinks(String sessions, String alerts, String late) {
    }

    private final SessionSettings settings;
    private final SessionMetrics metrics;
    private final ProgressReader progress;
    private final LateRoute late;
    private final Sinks sinks;
    private ProcessorContext<String, Object> context;
    private OpenSessionReads open;
    private ClosingIndex closings;
    private KeyValueStore<String, Baseline> baselines;
    private TaskStreamTime time;
    private SessionEngine engine;
    private String task;
    private long openSessions;

    public SessionProcessor(SessionSettings settings, SessionMetrics metrics, String inputTopic, Sinks sinks) {
        this.settings = settings;
        this.metrics = metrics;
        SessionMetrics.ProgressMeters meters = metrics.progress(inputTopic);
        this.progress = new ProgressReader(meters.marks(), meters.malformed());
        this.late = new LateRoute(STAGE, sinks.late(), "engagement event", metrics.late());
        this.sinks = sinks;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        // a fresh map on every init: it then holds only values this processor instance read or wrote since
        KeyValueStore<String, byte[]> openStore = context.getStateStore(SessionStores.OPEN);
        this.open = new OpenSessionReads(openStore, OpenSessionReads.DEFAULT_CAPACITY);
        // derived from the open sessions just restored, so it is exactly the index of the last committed record
        this.closings = rebuildClosings(openStore);
        this.baselines = context.getStateStore(SessionStores.BASELINES);
        // the stores are restored before init: the time resumes exactly where the last committed record left it
        this.time = TaskStreamTime.load(context.getStateStore(SessionStores.META), settings.progress());
        this.task = context.taskId().toString();
        this.engine = new SessionEngine(settings.window(), settings.baseline(), new Stores(), new Forwards());
        this.openSessions = closings.size();
        context.schedule(settings.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::report);
    }

    @Override
    public void process(Record<String, EngagementEvent> record) {
        if (ProgressRecords.isProgress(record.headers())) {
            onProgress(record);
            return;
        }
        EngagementEvent event = record.value();
        if (event == null || event.userId() == null || event.eventType() == null) {
            metrics.invalid();
            log.warn("Skipping engagement record without user or type at {}", RecordPosition.of(context));
            return;
        }
        long before = time.streamTimeMs();
        if (engine.isLate(event.eventTimeMs(), before)) {
            late.divert(context, record.withKey(event.userId()), event.eventId(), event.eventTimeMs(),
                    settings.window().watermarkMs(before));
            return;
        }
        metrics.accepted();
        long ingestedAt = Headers.lastLong(record.headers(), Headers.INGESTED_AT_MS, SessionAggregate.UNKNOWN_INGESTION);
        openSessions += 1 - engine.add(event, ingestedAt);
        long after = time.onData(event.eventTimeMs());
        if (after != before) {
            engine.advance(before, after);
        }
    }

    private void onProgress(Record<String, EngagementEvent> record) {
        ProgressMark mark = progress.read(context, record);
        if (mark == null) {
            return;
        }
        long before = time.streamTimeMs();
        long after = time.onMark(mark);
        if (after != before) {
            log.debug("Stream time of task {} moved {} -> {} by {}", task, before, after, mark);
            engine.advance(before, after);
        }
    }

    /** Metrics only: never moves time and never closes anything. */
    private void report(long wallClockMs) {
        metrics.report(task, new SessionMetrics.TaskSnapshot(openSessions, baselines.approximateNumEntries(),
                time.streamTimeMs()));
    }

    /**
     * The closing index of the stored open sessions: each at the end it was last indexed at (kept in the value), so it
     * is the index the engine left at the last committed record. It lives on the heap only — a store of it cost four
     * writes (and changelog records) per closed session and a RocksDB range scan per move of stream time, for state
     * {@code session-open} holds anyway.
     */
    private static ClosingIndex rebuildClosings(KeyValueStore<String, byte[]> openStore) {
        ClosingIndex index = new ClosingIndex();
        try (KeyValueIterator<String, byte[]> it = openStore.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> user = it.next();
                for (OpenSession session : SessionCodec.decodeSessions(user.value)) {
                    index.add(session.entry(user.key));
                }
            }
        }
        return index;
    }

    /** The engine's state: the {@code session-open} reads, the closing index on the heap, the baselines. */
    private final class Stores implements SessionState {

        @Override
        public List<OpenSession> open(String userId) {
            return SessionCodec.decodeSessions(open.get(userId));
        }

        @Override
        public void putOpen(String userId, List<OpenSession> sessions) {
            open.put(userId, SessionCodec.encodeSessions(sessions));
        }

        @Override
        public void deleteOpen(String userId) {
            open.delete(userId);
        }

        @Override
        public void index(IndexEntry entry) {
            closings.add(entry);
        }

        @Override
        public void unindex(IndexEntry entry) {
            closings.remove(entry);
        }

        @Override
        public List<IndexEntry> indexed(long fromEndMs, long beforeEndMs) {
            return closings.range(fromEndMs, beforeEndMs);
        }

        @Override
        public Baseline baseline(String userId) {
            return baselines.get(userId);
        }

        @Override
        public void putBaseline(String userId, Baseline baseline) {
            baselines.put(userId, baseline);
        }
    }

    /**
     * The engine's decisions as records: a closed session to {@code engagement.sessions} with the session end as its
     * timestamp; an alert to {@code alerts.engagement} timestamped with the stream time that closed the session (a
     * function of the input log, so a replay or a restart yields the identical alert); both carry the latest gateway
     * ingestion time of the session's events.
     */
    private final class Forwards implements SessionSink {

        @Override
        public void closed(EngagementSession session, SessionAggregate aggregate, long closedAtMs) {
            openSessions--;
            context.forward(new Record<String, Object>(session.userId(), session, aggregate.endMs(),
                    headers(aggregate)), sinks.sessions());
            metrics.closed(aggregate.events());
        }

        @Override
        public void drop(EngagementAlert alert, EngagementSession session, SessionAggregate aggregate) {
            context.forward(new Record<String, Object>(session.userId(), alert, alert.detectedAtMs(),
                    headers(aggregate)), sinks.alerts());
            metrics.alert();
            log.info("Engagement drop {} for {}: session [{}, {}] asd {} ms vs baseline {} ms", alert.alertId(),
                    session.userId(), session.sessionStartMs(), session.sessionEndMs(), alert.asdMs(),
                    alert.baselineAsdMs());
        }

        @Override
        public void bridged(EngagementEvent event, int sessions, SessionAggregate into) {
            metrics.merged(sessions - 1);
            log.debug("Event {} of {} bridged {} sessions into [{}, {}]", event.eventId(), event.userId(), sessions,
                    into.startMs(), into.endMs());
        }

        @Override
        public void staleEntry(IndexEntry entry) {
            log.warn("Closing index names session [{}, ...] of {} (indexed at {}) that is not open; index entry"
                    + " dropped", entry.startMs(), entry.userId(), entry.endMs());
        }

        @Override
        public void closedAlready(IndexEntry exact) {
            log.warn("Session [{}, {}] of {} was closed already; index entry dropped", exact.startMs(), exact.endMs(),
                    exact.userId());
        }

        private static RecordHeaders headers(SessionAggregate aggregate) {
            RecordHeaders headers = new RecordHeaders();
            if (aggregate.lastIngestedAtMs() != SessionAggregate.UNKNOWN_INGESTION) {
                headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(aggregate.lastIngestedAtMs()));
            }
            return headers;
        }
    }

    @Override
    public void close() {
        metrics.forget(task);
    }
}
