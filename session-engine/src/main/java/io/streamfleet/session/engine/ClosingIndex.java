package io.streamfleet.session.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The closing index on the heap: one {@link IndexEntry} per open session, in {@link IndexEntry#ORDER}. Everything it
 * holds is also in the open sessions ({@link OpenSession#indexedEndMs} with the start and the user), so it is state
 * derived from them: session-analytics rebuilds it from its stored open sessions whenever its processor starts.
 * Not thread-safe.
 */
public final class ClosingIndex {

    private final TreeSet<IndexEntry> entries = new TreeSet<>(IndexEntry.ORDER);

    public void add(IndexEntry entry) {
        entries.add(entry);
    }

    public void remove(IndexEntry entry) {
        entries.remove(entry);
    }

    /**
     * A copy of the entries keyed at an end in [{@code fromEndMs}, {@code beforeEndMs}), in order; the caller may
     * change the index while it walks them.
     */
    public List<IndexEntry> range(long fromEndMs, long beforeEndMs) {
        if (fromEndMs >= beforeEndMs) {
            return new ArrayList<>();
        }
        // Long.MIN_VALUE sorts before every start and "" before every user id: each bound sorts before every entry
        // keyed at its end
        return new ArrayList<>(entries.subSet(new IndexEntry(fromEndMs, Long.MIN_VALUE, ""), true,
                new IndexEntry(beforeEndMs, Long.MIN_VALUE, ""), false));
    }

    public int size() {
        return entries.size();
    }

    /** Every entry, in order (tests). */
    public List<IndexEntry> entries() {
        return List.copyOf(entries);
    }
}
