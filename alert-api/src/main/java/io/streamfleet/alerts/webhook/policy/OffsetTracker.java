package io.streamfleet.alerts.webhook.policy;

import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Per partition: which consumed records still have deliveries in flight, and up to where the consumer may commit.
 * Deliveries finish out of order (one endpoint retries while others succeed), but the committed offset only moves past
 * a record once it and every record before it finished (success or dead letter), so a restart re-delivers whatever was
 * still in flight: at-least-once. Not thread-safe: owned by the consumer thread.
 */
public final class OffsetTracker {

    private final TreeMap<Long, Boolean> inFlight = new TreeMap<>();
    private long committable = -1;
    private long committed = -1;

    /** A record was consumed; its deliveries are now in flight. */
    public void track(long offset) {
        if (offset <= committable - 1 || inFlight.containsKey(offset)) {
            return;
        }
        inFlight.put(offset, Boolean.FALSE);
    }

    /** Every delivery of the record at {@code offset} finished. */
    public void complete(long offset) {
        if (inFlight.containsKey(offset)) {
            inFlight.put(offset, Boolean.TRUE);
        }
        while (!inFlight.isEmpty() && inFlight.firstEntry().getValue()) {
            Map.Entry<Long, Boolean> done = inFlight.pollFirstEntry();
            committable = done.getKey() + 1;
        }
    }

    /** The offset to commit (next record to read), when it moved since the last {@link #markCommitted}. */
    public OptionalLong toCommit() {
        return committable > committed ? OptionalLong.of(committable) : OptionalLong.empty();
    }

    public void markCommitted(long offset) {
        committed = Math.max(committed, offset);
    }

    /** Records consumed but not finished (the gap the consumer may not commit past). */
    public int inFlight() {
        return inFlight.size();
    }
}
