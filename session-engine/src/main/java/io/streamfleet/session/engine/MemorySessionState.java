package io.streamfleet.session.engine;

import io.streamfleet.session.baseline.Baseline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link SessionState} in maps: for running the engine outside Kafka Streams (tests, the benchmarks' oracle). */
public final class MemorySessionState implements SessionState {

    private final Map<String, List<OpenSession>> open = new HashMap<>();
    private final ClosingIndex index = new ClosingIndex();
    private final Map<String, Baseline> baselines = new HashMap<>();

    @Override
    public List<OpenSession> open(String userId) {
        List<OpenSession> sessions = open.get(userId);
        return sessions == null ? new ArrayList<>() : new ArrayList<>(sessions);
    }

    @Override
    public void putOpen(String userId, List<OpenSession> sessions) {
        open.put(userId, List.copyOf(sessions));
    }

    @Override
    public void deleteOpen(String userId) {
        open.remove(userId);
    }

    @Override
    public void index(IndexEntry entry) {
        index.add(entry);
    }

    @Override
    public void unindex(IndexEntry entry) {
        index.remove(entry);
    }

    @Override
    public List<IndexEntry> indexed(long fromEndMs, long beforeEndMs) {
        return index.range(fromEndMs, beforeEndMs);
    }

    @Override
    public Baseline baseline(String userId) {
        return baselines.get(userId);
    }

    @Override
    public void putBaseline(String userId, Baseline baseline) {
        baselines.put(userId, baseline);
    }

    /** Open sessions of every user (tests, the oracle's sessions not yet closed). */
    public Map<String, List<OpenSession>> openSessions() {
        return Map.copyOf(open);
    }

    /** Entries in the closing index now (tests). */
    public List<IndexEntry> indexEntries() {
        return index.entries();
    }
}
