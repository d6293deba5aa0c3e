package io.streamfleet.session.engine;

import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.session.baseline.BaselineRule;
import io.streamfleet.session.baseline.DropAlerts;
import io.streamfleet.session.metrics.SessionAggregate;
import io.streamfleet.session.metrics.SessionWindowRule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Session windows, session metrics and baseline drops for one partition of engagement events
 * (docs/session-analytics.md#sessions-and-engagement-drops), over a {@link SessionState}. The caller owns stream time:
 * per on-time event it calls {@link #add}, then, if stream time moved, {@link #advance}; an event that
 * {@link #isLate is late} it diverts and does not add. session-analytics' processor does exactly that with the
 * partition time of its input (data and {@code stream-time} marks); {@link PartitionSessions} does it with data and
 * explicit marks.
 *
 * <ul>
 *   <li>An event joins every open session of its user within the gap of it — one, none (a new session), or several,
 *   which a bridging event merges into one. The closing index is rewritten only when a session is new, merged or
 *   starts earlier; a session that only grew at its end keeps its entry, keyed at or before its end, so the usual
 *   event costs no index write (the entry is moved to the true end when it comes due).</li>
 *   <li>When stream time moves, every session that ended more than gap + grace before it closes, in (end, start, user)
 *   order: it goes to the sink, is judged against its user's baseline (an {@link EngagementAlert} on a drop, detected
 *   at — and timestamped with — the stream time that closed it) and then folded into it.</li>
 * </ul>
 * Every decision depends only on the events and the stream times given, in their order: no clock. Not thread-safe.
 */
public final class SessionEngine {

    private static final Comparator<OpenSession> BY_START = Comparator.comparingLong(o -> o.session().startMs());

    private final SessionWindowRule window;
    private final BaselineRule baseline;
    private final SessionState state;
    private final SessionSink sink;

    public SessionEngine(SessionWindowRule window, BaselineRule baseline, SessionState state, SessionSink sink) {
        this.window = Objects.requireNonNull(window, "window");
        this.baseline = Objects.requireNonNull(baseline, "baseline");
        this.state = Objects.requireNonNull(state, "state");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Late at stream time {@code streamTimeMs} (nothing is before the first event): not to be added. */
    public boolean isLate(long eventTimeMs, long streamTimeMs) {
        return window.isLate(eventTimeMs, streamTimeMs);
    }

    /**
     * Adds an on-time event with a user and a type to its user's sessions; returns how many open sessions it joined
     * (0: it opened one; more than 1: it bridged them into one).
     */
    public int add(EngagementEvent event, long ingestedAtMs) {
        String user = event.userId();
        List<OpenSession> sessions = state.open(user);
        SessionAggregate session = SessionAggregate.of(event, ingestedAtMs);
        List<OpenSession> joined = new ArrayList<>(1);
        for (Iterator<OpenSession> it = sessions.iterator(); it.hasNext(); ) {
            OpenSession candidate = it.next();
            if (window.joins(event.eventTimeMs(), candidate.session().startMs(), candidate.session().endMs())) {
                session = session.merge(candidate.session());
                joined.add(candidate);
                it.remove();
            }
        }
        if (joined.size() > 1) {
            sink.bridged(event, joined.size(), session);
        }
        OpenSession updated;
        if (joined.size() == 1 && joined.get(0).session().startMs() == session.startMs()) {
            // the usual event: its session grew at the end or not at all, so its index entry, keyed at or before the
            // end, still comes due no later than the session and is left as it is (advance re-indexes it then)
            updated = new OpenSession(session, joined.get(0).indexedEndMs());
        } else {
            for (OpenSession candidate : joined) {
                state.unindex(candidate.entry(user));
            }
            updated = new OpenSession(session, session.endMs());
            state.index(updated.entry(user));
        }
        sessions.add(updated);
        sessions.sort(BY_START);
        state.putOpen(user, sessions);
        return joined.size();
    }

    /**
     * Closes what became due when stream time moved from {@code beforeMs} to {@code nowMs}. An index entry in the
     * scanned range is keyed at or before its session's end: a session that grew past it since is re-indexed at its
     * end (not yet due, so outside this range); the due ones close in (end, start, user) order — the order of their
     * exact entries — whatever end their entries were keyed at.
     */
    public void advance(long beforeMs, long nowMs) {
        long closedBefore = window.closedBeforeMs(nowMs);
        List<IndexEntry> entries = state.indexed(scanFrom(beforeMs), closedBefore);
        // each user's open sessions are read once per scan and kept as written back, so closing them reads no more
        Map<String, List<OpenSession>> read = new HashMap<>();
        List<Due> due = new ArrayList<>();
        for (IndexEntry entry : entries) {
            List<OpenSession> sessions = read.computeIfAbsent(entry.userId(), state::open);
            int at = indexOf(sessions, entry);
            if (at < 0) {
                state.unindex(entry);
                sink.staleEntry(entry);
                continue;
            }
            SessionAggregate session = sessions.get(at).session();
            if (session.endMs() < closedBefore) {
                due.add(new Due(entry, new IndexEntry(session.endMs(), session.startMs(), entry.userId())));
            } else {
                state.unindex(entry);
                OpenSession reindexed = new OpenSession(session, session.endMs());
                state.index(reindexed.entry(entry.userId()));
                sessions.set(at, reindexed);
                state.putOpen(entry.userId(), sessions);
            }
        }
        due.sort(Comparator.comparing(Due::exact, IndexEntry.ORDER));
        for (Due closing : due) {
            close(closing, read.get(closing.exact().userId()), nowMs);
        }
    }

    /**
     * Where a scan of the closing index starts at stream time {@code streamTimeMs} ({@code Long.MIN_VALUE}: from the
     * first entry): every session ending before {@code closedBeforeMs} was closed when time got there, and an event
     * that is not late cannot make one that ends earlier, so nothing live lies below.
     */
    public long scanFrom(long streamTimeMs) {
        return streamTimeMs == Long.MIN_VALUE ? Long.MIN_VALUE : window.closedBeforeMs(streamTimeMs);
    }

    /** A due session: the index entry that named it, and its exact (end, start, user). */
    private record Due(IndexEntry entry, IndexEntry exact) {
    }

    private static int indexOf(List<OpenSession> sessions, IndexEntry entry) {
        for (int i = 0; i < sessions.size(); i++) {
            OpenSession candidate = sessions.get(i);
            if (candidate.session().startMs() == entry.startMs() && candidate.indexedEndMs() == entry.endMs()) {
                return i;
            }
        }
        return -1;
    }

    /** Closes a due session; {@code sessions} are its user's open sessions as stored now (updated here). */
    private void close(Due due, List<OpenSession> sessions, long nowMs) {
        IndexEntry exact = due.exact();
        String user = exact.userId();
        state.unindex(due.entry());
        int at = indexOf(sessions, due.entry());
        if (at < 0) {
            sink.closedAlready(exact);
            return;
        }
        SessionAggregate aggregate = sessions.remove(at).session();
        if (sessions.isEmpty()) {
            state.deleteOpen(user);
        } else {
            state.putOpen(user, sessions);
        }
        publish(user, aggregate, nowMs);
    }

    /**
     * Publishes a closed session and judges it. The alert is detected at {@code nowMs}, the stream time that closed
     * the session — a function of the input, so a replay yields the identical alert.
     */
    private void publish(String user, SessionAggregate aggregate, long nowMs) {
        EngagementSession session = aggregate.toSession(user);
        sink.closed(session, aggregate, nowMs);
        BaselineRule.Verdict verdict = baseline.judge(state.baseline(user), session, aggregate.asdMs());
        state.putBaseline(user, verdict.next());
        if (verdict.drop()) {
            sink.drop(DropAlerts.of(session, aggregate.asdMs(), verdict, nowMs), session, aggregate);
        }
    }
}
