package io.streamfleet.session.topology;

import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.session.baseline.Baseline;
import io.streamfleet.session.baseline.BaselineRule;
import io.streamfleet.session.baseline.DropAlerts;
import io.streamfleet.session.metrics.SessionAggregate;
import io.streamfleet.session.metrics.SessionWindowRule;
import io.streamfleet.session.topology.SessionCodec.Closing;
import io.streamfleet.support.time.BacklogProbe;
import io.streamfleet.support.time.MonotonicStreamTime;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Session windows, session metrics and baseline drops for one partition of {@code engagement.clean} (SPEC §6).
 * Per record:
 * <ol>
 *   <li>Late (event time behind stream time − grace): to {@code engagement.late} with the stage and watermark in
 *   headers, counted, logged; it touches no state.</li>
 *   <li>Otherwise it joins every open session of its user within the gap of it — one, none (a new session), or
 *   several, which a bridging event merges into one — and the closing index is updated to match.</li>
 *   <li>Stream time advances; every session that ended more than gap + grace before it closes, in (end, start,
 *   user) order: the session goes to {@code engagement.sessions}, is judged against its user's baseline (an
 *   {@link EngagementAlert} on a drop) and then folded into it.</li>
 * </ol>
 * A wall-clock punctuation applies the idle rule (stream time moves by the wall time elapsed since the last record,
 * unless the partition still has unread records), so quiet users' sessions close on time. All state is in
 * changelogged stores written in the same exactly-once transaction as the output, so a restart neither loses nor
 * repeats a session or an alert.
 */
public final class SessionProcessor implements Processor<String, EngagementEvent, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(SessionProcessor.class);
    private static final String STREAM_TIME = "stream-time";
    private static final byte[] INDEXED = {1};
    private static final byte[] STAGE = "session-analytics".getBytes(StandardCharsets.UTF_8);
    private static final Comparator<SessionAggregate> BY_START = Comparator.comparingLong(SessionAggregate::startMs);

    /** Names of the sinks this processor forwards to. */
    public record Sinks(String sessions, String alerts, String late) {
    }

    private final SessionSettings settings;
    private final SessionMetrics metrics;
    private final BacklogProbe backlog;
    private final String inputTopic;
    private final Sinks sinks;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> open;
    private KeyValueStore<Bytes, byte[]> closings;
    private KeyValueStore<String, Baseline> baselines;
    private KeyValueStore<String, Long> meta;
    private MonotonicStreamTime streamTime;
    private String task;
    private long openSessions;
    private long pendingRestore = Long.MIN_VALUE;
    private long lastOffset = BacklogProbe.NOTHING_PROCESSED;

    public SessionProcessor(SessionSettings settings, SessionMetrics metrics, BacklogProbe backlog, String inputTopic,
                            Sinks sinks) {
        this.settings = settings;
        this.metrics = metrics;
        this.backlog = backlog;
        this.inputTopic = inputTopic;
        this.sinks = sinks;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.open = context.getStateStore(SessionStores.OPEN);
        this.closings = context.getStateStore(SessionStores.CLOSINGS);
        this.baselines = context.getStateStore(SessionStores.BASELINES);
        this.meta = context.getStateStore(SessionStores.META);
        this.task = context.taskId().toString();
        this.streamTime = new MonotonicStreamTime(settings.idleTimeout().toMillis());
        // restored at the first record or punctuation: during init the task's wall clock is not yet meaningful
        Long persisted = meta.get(STREAM_TIME);
        this.pendingRestore = persisted == null ? Long.MIN_VALUE : persisted;
        this.openSessions = countOpenSessions();
        this.lastOffset = backlog.fetchedOffset(inputTopic, context.taskId().partition());
        context.schedule(settings.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, EngagementEvent> record) {
        restoreOnce();
        context.recordMetadata().ifPresent(m -> lastOffset = m.offset());
        EngagementEvent event = record.value();
        if (event == null || event.userId() == null || event.eventType() == null) {
            metrics.invalid();
            log.warn("Skipping engagement record without user or type at {}", position());
            return;
        }
        long before = streamTime.current();
        if (settings.window().isLate(event.eventTimeMs(), before)) {
            divertLate(record, event, settings.window().watermarkMs(before));
            return;
        }
        metrics.accepted();
        long ingestedAt = Headers.lastLong(record.headers(), Headers.INGESTED_AT_MS, SessionAggregate.UNKNOWN_INGESTION);
        addToSession(event, ingestedAt);
        long after = streamTime.onRecord(event.eventTimeMs(), context.currentSystemTimeMs());
        if (after != before) {
            moved(after);
        }
    }

    private void addToSession(EngagementEvent event, long ingestedAt) {
        String user = event.userId();
        List<SessionAggregate> sessions = SessionCodec.decodeOpen(open.get(user));
        SessionAggregate session = SessionAggregate.of(event, ingestedAt);
        int joined = 0;
        for (Iterator<SessionAggregate> it = sessions.iterator(); it.hasNext(); ) {
            SessionAggregate candidate = it.next();
            if (settings.window().joins(event.eventTimeMs(), candidate.startMs(), candidate.endMs())) {
                session = session.merge(candidate);
                closings.delete(SessionCodec.closingKey(closingOf(user, candidate)));
                it.remove();
                joined++;
            }
        }
        if (joined > 1) {
            metrics.merged(joined - 1);
            log.debug("Event {} of {} bridged {} sessions into [{}, {}]", event.eventId(), user, joined,
                    session.startMs(), session.endMs());
        }
        openSessions += 1 - joined;
        sessions.add(session);
        sessions.sort(BY_START);
        open.put(user, SessionCodec.encodeOpen(sessions));
        closings.put(SessionCodec.closingKey(closingOf(user, session)), INDEXED);
    }

    private void punctuate(long wallClockMs) {
        restoreOnce();
        long before = streamTime.current();
        if (before != Long.MIN_VALUE && !backlog.hasBacklog(inputTopic, context.taskId().partition(), lastOffset)) {
            long after = streamTime.advance(wallClockMs);
            if (after != before) {
                moved(after);
            }
        }
        metrics.report(task, new SessionMetrics.TaskSnapshot(openSessions, baselines.approximateNumEntries(),
                streamTime.current()));
    }

    private void moved(long now) {
        meta.put(STREAM_TIME, now);
        closeDue(now);
    }

    private void closeDue(long now) {
        List<Closing> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it =
                     closings.range(null, SessionCodec.closingBound(settings.window().closedBeforeMs(now)))) {
            while (it.hasNext()) {
                due.add(SessionCodec.decodeClosing(it.next().key));
            }
        }
        for (Closing closing : due) {
            close(closing);
        }
    }

    private void close(Closing closing) {
        closings.delete(SessionCodec.closingKey(closing));
        List<SessionAggregate> sessions = SessionCodec.decodeOpen(open.get(closing.userId()));
        SessionAggregate session = null;
        for (Iterator<SessionAggregate> it = sessions.iterator(); it.hasNext(); ) {
            SessionAggregate candidate = it.next();
            if (candidate.startMs() == closing.startMs() && candidate.endMs() == closing.endMs()) {
                session = candidate;
                it.remove();
                break;
            }
        }
        if (session == null) {
            log.warn("Closing index names session [{}, {}] of {} that is not open; index entry dropped",
                    closing.startMs(), closing.endMs(), closing.userId());
            return;
        }
        openSessions--;
        if (sessions.isEmpty()) {
            open.delete(closing.userId());
        } else {
            open.put(closing.userId(), SessionCodec.encodeOpen(sessions));
        }
        publish(closing.userId(), session);
    }

    private void publish(String user, SessionAggregate aggregate) {
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
            EngagementAlert alert = DropAlerts.of(session, aggregate.asdMs(), verdict, context.currentSystemTimeMs());
            context.forward(new Record<String, Object>(user, alert, aggregate.endMs(), headers), sinks.alerts());
            metrics.alert();
            log.info("Engagement drop {} for {}: session [{}, {}] asd {} ms vs baseline {} ms", alert.alertId(), user,
                    session.sessionStartMs(), session.sessionEndMs(), alert.asdMs(), alert.baselineAsdMs());
        }
    }

    private void divertLate(Record<String, EngagementEvent> record, EngagementEvent event, long watermark) {
        metrics.late();
        log.info("Late engagement event {} of {} (event time {} < watermark {}) at {}: sent to the late topic",
                event.eventId(), event.userId(), event.eventTimeMs(), watermark, position());
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(Headers.LATE_AT_STAGE, STAGE);
        headers.add(Headers.LATE_WATERMARK_MS, Headers.encodeLong(watermark));
        context.forward(new Record<String, Object>(event.userId(), event, record.timestamp(), headers), sinks.late());
    }

    private void restoreOnce() {
        if (pendingRestore != Long.MIN_VALUE) {
            streamTime.restore(pendingRestore, context.currentSystemTimeMs());
            pendingRestore = Long.MIN_VALUE;
        }
    }

    private long countOpenSessions() {
        long count = 0;
        try (KeyValueIterator<Bytes, byte[]> it = closings.all()) {
            while (it.hasNext()) {
                it.next();
                count++;
            }
        }
        return count;
    }

    private static Closing closingOf(String user, SessionAggregate session) {
        return new Closing(session.endMs(), session.startMs(), user);
    }

    private String position() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("unknown position");
    }

    @Override
    public void close() {
        if (task != null) {
            metrics.forget(task);
        }
    }
}
