package io.streamfleet.alerts.late.board;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per late topic, stage and key ({@code engagement.late} has two writers, stream-processor and session-analytics):
 * how many late records arrived and when, over a sliding horizon of wall-clock arrival. So an operator can see which keys' detections may be incomplete because their events came too late.
 *
 * <p>Bounded whatever the number of keys: at most {@code maxKeys} entries, held in order of their last arrival. A key
 * without a late record for {@code horizonMs} expires; a new key arriving while the board is full evicts the key whose
 * last late record is oldest (and {@link #evictedKeys()} counts it). A kept key's count is exact since its
 * {@code firstArrivalMs}: no key shares a counter with another, nothing is sampled. Arrival times are made
 * non-decreasing (a wall clock stepping back counts as no time passing), which keeps the order the expiry relies on.
 * Thread-safe: one writer (the late-topic reader), any number of readers (HTTP, metrics).
 */
public final class LateEventBoard {

    private static final Comparator<LateKeyStats> MOST_FIRST = Comparator.comparingLong(LateKeyStats::count).reversed()
            .thenComparing(Comparator.comparingLong(LateKeyStats::lastArrivalMs).reversed())
            .thenComparing(LateKeyStats::topic).thenComparing(LateKeyStats::stage).thenComparing(LateKeyStats::key);

    private final long horizonMs;
    private final int maxKeys;
    /** Insertion order = order of last arrival: a key's update moves it to the end, the head is the oldest. */
    private final LinkedHashMap<Id, Tally> byKey = new LinkedHashMap<>();
    private long clockMs = Long.MIN_VALUE;
    private long evicted;

    public LateEventBoard(long horizonMs, int maxKeys) {
        if (horizonMs < 1) {
            throw new IllegalArgumentException("late-events horizon must be positive, was " + horizonMs + " ms");
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("late-events max-keys must be at least 1, was " + maxKeys);
        }
        this.horizonMs = horizonMs;
        this.maxKeys = maxKeys;
    }

    /** Counts one late record. */
    public synchronized void record(LateRecord record) {
        long now = advance(record.arrivalMs());
        expire(now);
        Id id = new Id(record.topic(), record.stage(), record.key());
        Tally tally = byKey.remove(id);
        if (tally == null) {
            if (byKey.size() >= maxKeys) {
                Iterator<Tally> oldest = byKey.values().iterator();
                oldest.next();
                oldest.remove();
                evicted++;
            }
            tally = new Tally(record, now);
        } else {
            tally.add(record, now);
        }
        byKey.put(id, tally);
    }

    /** The keys matching the query, most late records first (ties: latest arrival first). */
    public LateView query(LateQuery query, long nowMs) {
        List<LateKeyStats> matching = new ArrayList<>();
        int tracked;
        long evictedNow;
        synchronized (this) {
            expire(advance(nowMs));
            byKey.forEach((id, tally) -> {
                if (query.matches(id.topic(), id.stage(), id.key())) {
                    matching.add(tally.stats(id));
                }
            });
            tracked = byKey.size();
            evictedNow = evicted;
        }
        matching.sort(MOST_FIRST);
        List<LateKeyStats> items = List.copyOf(matching.subList(0, Math.min(query.limit(), matching.size())));
        return new LateView(items, matching.size(), tracked, evictedNow, horizonMs);
    }

    /** Per late topic and stage, its {@code n} keys with most late records (what the per-key gauge shows). */
    public Map<LateSource, List<LateKeyStats>> topPerSource(int n, long nowMs) {
        List<LateKeyStats> all = query(new LateQuery(null, null, null, Integer.MAX_VALUE), nowMs).items();
        Map<LateSource, List<LateKeyStats>> top = new TreeMap<>();
        for (LateKeyStats stats : all) {
            List<LateKeyStats> source = top.computeIfAbsent(new LateSource(stats.topic(), stats.stage()),
                    t -> new ArrayList<>());
            if (source.size() < n) {
                source.add(stats);
            }
        }
        return top;
    }

    /** Drops keys whose last late record is older than the horizon (also done on every record and query). */
    public synchronized void expire(long nowMs) {
        long now = advance(nowMs);
        Iterator<Tally> oldest = byKey.values().iterator();
        while (oldest.hasNext() && now - oldest.next().lastArrivalMs >= horizonMs) {
            oldest.remove();
        }
    }

    public synchronized int size() {
        return byKey.size();
    }

    public synchronized long evictedKeys() {
        return evicted;
    }

    public long horizonMs() {
        return horizonMs;
    }

    private long advance(long nowMs) {
        clockMs = Math.max(clockMs, nowMs);
        return clockMs;
    }

    private record Id(String topic, String stage, String key) {
    }

    /** Mutable on purpose: one per key, updated in place under the board's lock on every late record. */
    private static final class Tally {
        private long count;
        private long earliestEventTimeMs;
        private long latestEventTimeMs;
        private long maxBehindMs;
        private final long firstArrivalMs;
        private long lastArrivalMs;

        Tally(LateRecord first, long now) {
            count = 1;
            earliestEventTimeMs = first.eventTimeMs();
            latestEventTimeMs = first.eventTimeMs();
            maxBehindMs = first.behindMs();
            firstArrivalMs = now;
            lastArrivalMs = now;
        }

        void add(LateRecord record, long now) {
            count++;
            earliestEventTimeMs = Math.min(earliestEventTimeMs, record.eventTimeMs());
            latestEventTimeMs = Math.max(latestEventTimeMs, record.eventTimeMs());
            maxBehindMs = Math.max(maxBehindMs, record.behindMs());
            lastArrivalMs = now;
        }

        LateKeyStats stats(Id id) {
            return new LateKeyStats(id.topic(), id.stage(), id.key(), count, earliestEventTimeMs, latestEventTimeMs,
                    maxBehindMs, firstArrivalMs, lastArrivalMs);
        }
    }
}
