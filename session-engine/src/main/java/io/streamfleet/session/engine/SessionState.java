package io.streamfleet.session.engine;

import io.streamfleet.session.baseline.Baseline;

import java.util.List;

/**
 * The state the {@link SessionEngine} keeps for one partition: per user the open sessions, the closing index over
 * them, and per user the baseline. session-analytics backs it with changelogged Kafka Streams stores;
 * {@link MemorySessionState} with maps. The engine is the only writer.
 */
public interface SessionState {

    /** The open sessions of {@code userId}, oldest start first, as a list the caller may change; empty if none. */
    List<OpenSession> open(String userId);

    /** Stores the open sessions of {@code userId} (not empty). */
    void putOpen(String userId, List<OpenSession> sessions);

    /** {@code userId} has no open session any more. */
    void deleteOpen(String userId);

    void index(IndexEntry entry);

    void unindex(IndexEntry entry);

    /**
     * The index entries keyed at an end in [{@code fromEndMs}, {@code beforeEndMs}), in {@link IndexEntry#ORDER};
     * {@code fromEndMs == Long.MIN_VALUE} means from the first entry.
     */
    List<IndexEntry> indexed(long fromEndMs, long beforeEndMs);

    /** The baseline of {@code userId}, or null before their first closed session. */
    Baseline baseline(String userId);

    void putBaseline(String userId, Baseline baseline);
}
