package io.streamfleet.session.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * A row of the closing index: the open session of {@code userId} that starts at {@code startMs} is indexed at
 * {@code endMs}, its end when it was last indexed (at or before its present end).
 *
 * @param endMs   the end the row is keyed at
 * @param startMs the session's start
 * @param userId  the session's user
 */
public record IndexEntry(long endMs, long startMs, String userId) {

    /**
     * The index's order: end, then start, then the user id's UTF-8 bytes compared unsigned — the order of
     * session-analytics' closing-index keys, so sessions close in the same order on every store.
     */
    public static final Comparator<IndexEntry> ORDER = Comparator.comparingLong(IndexEntry::endMs)
            .thenComparingLong(IndexEntry::startMs)
            .thenComparing((a, b) -> a.userId().equals(b.userId()) ? 0 : Arrays.compareUnsigned(
                    a.userId().getBytes(StandardCharsets.UTF_8), b.userId().getBytes(StandardCharsets.UTF_8)));
}
