package io.streamfleet.session.topology;

import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.session.baseline.Baseline;
import io.streamfleet.session.baseline.BaselineRule;
import io.streamfleet.session.baseline.DropAlerts;
import io.streamfleet.session.metrics.SessionAggregate;
import io.streamfleet.session.metrics.SessionWindowRule;
import io.streamfleet.session.topology.SessionCodec.Closing;
import io.streamfleet.session.topology.SessionCodec.Open;
import io.streamfleet.support.processor.LateRoute;
import io.streamfleet.support.processor.ProgressReader;
import io.streamfleet.support.processor.RecordPosition;
import io.streamfleet.support.progress.PartitionTime;
import io.streamfleet.support.progress.TaskStreamTime;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Session windows, session metrics and baseline drops for one partition of {@code engagement.clean}. Stream time is
 * the partition's {@link PartitionTime}: moved by the event times of the data and by the {@code stream-time} marks
 * stream-processor writes after the data they cover (docs/event-time.md). Per data record:
 * <ol>
 *   <li>Late (event time behind stream time − grace): to {@code engagement.late} with the stage and watermark in
 *   headers, counted, logged; it touches no state and does not move time.</li>
 *   <li>Otherwise it joins every open session of its user within the gap of it — one, none (a new session), or
 *   several, which a bridging event merges into one. The closing index is rewritten only when a session is new, merged
 *   or starts earlier; a session that only grew at its end keeps its entry, keyed at or before its end, so the usual
 *   event costs no index write (the entry is moved to the true end when it comes due).</li>
 *   <li>Stream time advances to its event time; if it moved, the sessions it made due are closed (below).</li>
 * </ol>
 * Per progress record: the mark is applied to the partition time; if it moved, the sessions it made due are closed.
 * That is how a quiet user's session closes on a partition without further data. A malformed progress record is
 * logged with its position, counted and skipped. A progress record is never an event: never sessionized, never late.
 *
 * <p>Closing: every session that ended more than gap + grace before stream time closes, in (end, start, user) order:
 * the session goes to {@code engagement.sessions}, is judged against its user's baseline (an {@link EngagementAlert}
 * on a drop, detected at — and timestamped with — the stream time that closed it) and then folded into it.
 *
 * <p>Every decision is taken at a record of the input log and depends only on the log: no wall clock, no consumer
 * lag. The wall-clock punctuation only reports metrics. All state — sessions, closing index, baselines and the
 * partition time — is in changelogged stores written in the same exactly-once transaction as the output, so a
 * restart resumes with exactly the state of the last committed record and neither loses, repeats nor alters a
 * session or an alert.
 */
public final class SessionProcessor implements Processor<String, EngagementEvent, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(SessionProcessor.class);
    private static final byte[] INDEXED = {1};
    private static final String STAGE = "session-analytics";
    private static final Comparator<Open> BY_START = Comparator.comparingLong(o -> o.session().startMs());

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
    private KeyValueStore<Bytes, byte[]> closings;
    private KeyValueStore<String, Baseline> baselines;
    private TaskStreamTime time;
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
        this.open = new OpenSessionReads(context.getStateStore(SessionStores.OPEN), OpenSessionReads.DEFAULT_CAPACITY);
        this.closings = context.getStateStore(SessionStores.CLOSINGS);
        this.baselines = context.getStateStore(SessionStores.BASELINES);
        // the stores are restored before init: the time resumes exactly where the last committed record left it
        this.time = TaskStreamTime.load(context.getStateStore(SessionStores.META), settings.progress());
        this.task = context.taskId().toString();
        this.openSessions = countOpenSessions(time.streamTimeMs());
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
        if (settings.window().isLate(event.eventTimeMs(), before)) {
            late.divert(context, record.withKey(event.userId()), event.eventId(), event.eventTimeMs(),
                    settings.window().watermarkMs(before));
            return;
        }
        metrics.accepted();
        long ingestedAt = Headers.lastLong(record.headers(), Headers.INGESTED_AT_MS, SessionAggregate.UNKNOWN_INGESTION);
        addToSession(event, ingestedAt);
        long after = time.onData(event.eventTimeMs());
        if (after != before) {
            closeDue(before, after);
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
            closeDue(before, after);
        }
    }

    private void addToSession(EngagementEvent event, long ingestedAt) {
        String user = event.userId();
        List<Open> sessions = SessionCodec.decodeOpen(open.get(user));
        SessionAggregate session = SessionAggregate.of(event, ingestedAt);
        List<Open> joined = new ArrayList<>(1);
        for (Iterator<Open> it = sessions.iterator(); it.hasNext(); ) {
            Open candidate = it.next();
            if (settings.window().joins(event.eventTimeMs(), candidate.session().startMs(),
                    candidate.session().endMs())) {
                session = session.merge(candidate.session());
                joined.add(candidate);
                it.remove();
            }
        }
        if (joined.size() > 1) {
            metrics.merged(joined.size() - 1);
            log.debug("Event {} of {} bridged {} sessions into [{}, {}]", event.eventId(), user, joined.size(),
                    session.startMs(), session.endMs());
        }
        openSessions += 1 - joined.size();
        Open updated;
        if (joined.size() == 1 && joined.get(0).session().startMs() == session.startMs()) {
            // the usual event: its session grew at the end or not at all, so its index entry, keyed at or before the
            // end, still comes due no later than the session and is left as it is (closeDue re-indexes it then)
            updated = new Open(session, joined.get(0).indexedEndMs());
        } else {
            for (Open candidate : joined) {
                closings.delete(SessionCodec.closingKey(candidate.closing(user)));
            }
            updated = new Open(session, session.endMs());
            closings.put(SessionCodec.closingKey(updated.closing(user)), INDEXED);
        }
        sessions.add(updated);
        sessions.sort(BY_START);
        open.put(user, SessionCodec.encodeOpen(sessions));
    }

    /** Metrics only: never moves time and never closes anything. */
    private void report(long wallClockMs) {
        metrics.report(task, new SessionMetrics.TaskSnapshot(openSessions, baselines.approximateNumEntries(),
                time.streamTimeMs()));
    }

    /**
     * Closes what became due when stream time moved from {@code before} to {@code now}. An index entry in the scanned
     * range is keyed at or before its session's end: a session that grew past it since is re-indexed at its end
     * (not yet due, so outside this range); the due ones close in (end, start, user) order — the order of their
     * exact closing keys — whatever end their entries were keyed at.
     */
    private void closeDue(long before, long now) {
        List<Closing> entries = new ArrayList<>();
        long closedBefore = settings.window().closedBeforeMs(now);
        try (KeyValueIterator<Bytes, byte[]> it = closings.range(closingsFrom(before),
                SessionCodec.closingBound(closedBefore))) {
            while (it.hasNext()) {
                entries.add(SessionCodec.decodeClosing(it.next().key));
            }
        }
        // each user's open sessions are read once per scan and kept as written back, so closing them reads no more
        Map<String, List<Open>> read = new HashMap<>();
        List<Due> due = new ArrayList<>();
        for (Closing entry : entries) {
            List<Open> sessions = read.computeIfAbsent(entry.userId(), user -> SessionCodec.decodeOpen(open.get(user)));
            int at = indexOf(sessions, entry);
            if (at < 0) {
                closings.delete(SessionCodec.closingKey(entry));
                log.warn("Closing index names session [{}, ...] of {} (indexed at {}) that is not open; index entry"
                        + " dropped", entry.startMs(), entry.userId(), entry.endMs());
                continue;
            }
            SessionAggregate session = sessions.get(at).session();
            if (session.endMs() < closedBefore) {
                Closing exact = new Closing(session.endMs(), session.startMs(), entry.userId());
                due.add(new Due(entry, exact, SessionCodec.closingKey(exact)));
            } else {
                closings.delete(SessionCodec.closingKey(entry));
                Open reindexed = new Open(session, session.endMs());
                closings.put(SessionCodec.closingKey(reindexed.closing(entry.userId())), INDEXED);
                sessions.set(at, reindexed);
                open.put(entry.userId(), SessionCodec.encodeOpen(sessions));
            }
        }
        due.sort(Comparator.comparing(Due::exactKey));
        for (Due closing : due) {
            close(closing, read.get(closing.exact().userId()), now);
        }
    }

    /** A due session: the index entry that named it, and its exact (end, start, user) with that row's key. */
    private record Due(Closing entry, Closing exact, Bytes exactKey) {
    }

    private static int indexOf(List<Open> sessions, Closing entry) {
        for (int i = 0; i < sessions.size(); i++) {
            Open candidate = sessions.get(i);
            if (candidate.session().startMs() == entry.startMs() && candidate.indexedEndMs() == entry.endMs()) {
                return i;
            }
        }
        return -1;
    }

    /** Closes a due session; {@code sessions} are its user's open sessions as stored now (updated here). */
    private void close(Due due, List<Open> sessions, long now) {
        Closing closing = due.exact();
        closings.delete(SessionCodec.closingKey(due.entry()));
        int at = indexOf(sessions, due.entry());
        if (at < 0) {
            log.warn("Session [{}, {}] of {} was closed already; index entry dropped", closing.startMs(),
                    closing.endMs(), closing.userId());
            return;
        }
        SessionAggregate session = sessions.remove(at).session();
        openSessions--;
        if (sessions.isEmpty()) {
            open.delete(closing.userId());
        } else {
            open.put(closing.userId(), SessionCodec.encodeOpen(sessions));
        }
        publish(closing.userId(), session, now);
    }

    /**
     * Publishes a closed session and judges it. The alert is detected at {@code now}, the stream time that closed the
     * session — a function of the input log, so a replay or a restart yields the identical alert — and its record
     * carries that time as its timestamp too. The session record keeps the session end as its timestamp.
     */
    private void publish(String user, SessionAggregate aggregate, long now) {
        EngagementSession session = aggregate.toSession(user);
        RecordHeaders headers = new RecordHeaders();
        if (aggregate.lastIngestedAtMs() != SessionAggregate.UNKNOWN_INGESTION) {
            headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(aggregate.lastIngestedAtMs()));
        }
        context.forward(new Record<String, Object>(user, session, aggregate.endMs(), headers), sinks.sessions());
        metrics.closed(aggregate.events());

        BaselineRule.Verdict verdict = settings.baseline().judge(baselines.get(user), session, aggregate.asdMs());
        baselines.put(user, verdict.next());
        if (verdict.drop()) {
            EngagementAlert alert = DropAlerts.of(session, aggregate.asdMs(), verdict, now);
            context.forward(new Record<String, Object>(user, alert, now, headers), sinks.alerts());
            metrics.alert();
            log.info("Engagement drop {} for {}: session [{}, {}] asd {} ms vs baseline {} ms", alert.alertId(), user,
                    session.sessionStartMs(), session.sessionEndMs(), alert.asdMs(), alert.baselineAsdMs());
        }
    }

    /**
     * Where scans of the closing index start at stream time {@code streamTimeMs}: every session ending before
     * {@code closedBeforeMs} was closed when time got there (in the same transaction as the stored time), and an
     * event that is not late cannot make one that ends earlier, so nothing live lies below. Deleted keys do: a store
     * restored from its changelog has a RocksDB tombstone for every session ever closed, which a scan from the start
     * (a null bound) would step over on every close; a seek lands past them.
     */
    private Bytes closingsFrom(long streamTimeMs) {
        return streamTimeMs == PartitionTime.NONE ? null
                : SessionCodec.closingBound(settings.window().closedBeforeMs(streamTimeMs));
    }

    private long countOpenSessions(long streamTimeMs) {
        long count = 0;
        try (KeyValueIterator<Bytes, byte[]> it = closings.range(closingsFrom(streamTimeMs), null)) {
            while (it.hasNext()) {
                it.next();
                count++;
            }
        }
        return count;
    }

    @Override
    public void close() {
        metrics.forget(task);
    }
}
