package io.streamfleet.support.progress;

import io.streamfleet.contracts.progress.ProgressMark;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Stream time of one input partition, moved only by what is in the partition's log (docs/event-time.md):
 * <ul>
 *   <li>a data record: stream time is the highest event time seen;</li>
 *   <li>a {@code stream-time} mark of the stage upstream: stream time is at least that;</li>
 *   <li>a {@code clock} mark of a producer: once the producers' clock has moved {@code idleTimeout} past the last data
 *   record, stream time is the stream time at that record plus the clock time elapsed since it — never the clock
 *   itself, so a replay of old data behaves like the live run did. The clock is the slowest live producer's; one
 *   whose marks trail the newest by more than {@code silenceTimeout} no longer counts, nor does one that left.</li>
 * </ul>
 * "Since the last data record" is measured from the first mark after it, using the fastest producer's clock there:
 * every data record before that mark was sent before that clock, so silence is never overstated.
 *
 * <p>Never goes back. The whole state is a few longs (see {@link #entries()}), persisted by the caller in the same
 * transaction as its output, so a restart resumes with exactly the time the crashed run had at the same offset.
 * Pure and not thread-safe: one instance per stream task.
 */
public final class PartitionTime {

    public static final long NONE = Long.MIN_VALUE;
    static final String STREAM_TIME = "stream-time";
    static final String BASE = "progress.base";
    static final String DATA_CLOCK = "progress.data-clock";
    static final String DATA_PENDING = "progress.data-pending";
    static final String SOURCE_PREFIX = "progress.source.";

    private final long idleMs;
    private final long silenceMs;
    private long streamTime = NONE;
    private long base = NONE;
    private long dataClock = NONE;
    private boolean dataPending;
    private boolean changed;
    private boolean sourcesChanged;
    private final TreeMap<String, Long> sources = new TreeMap<>();

    public PartitionTime(ProgressRules rules) {
        this.idleMs = rules.idleTimeout().toMillis();
        this.silenceMs = rules.silenceTimeout().toMillis();
    }

    /** Rebuilds the time from {@link #entries()} persisted earlier; unknown keys are ignored. */
    public static PartitionTime restore(ProgressRules rules, Map<String, Long> entries) {
        PartitionTime time = new PartitionTime(rules);
        time.streamTime = entries.getOrDefault(STREAM_TIME, NONE);
        time.base = entries.getOrDefault(BASE, time.streamTime);
        time.dataClock = entries.getOrDefault(DATA_CLOCK, NONE);
        time.dataPending = entries.getOrDefault(DATA_PENDING, 0L) != 0;
        entries.forEach((key, value) -> {
            if (key.startsWith(SOURCE_PREFIX) && value != null) {
                time.sources.put(key.substring(SOURCE_PREFIX.length()), value);
            }
        });
        return time;
    }

    /** A data record with event time {@code eventTimeMs}; returns the stream time after it. */
    public long onData(long eventTimeMs) {
        if (eventTimeMs > streamTime || !dataPending) {
            streamTime = Math.max(streamTime, eventTimeMs);
            dataPending = true;
            changed = true;
        }
        return streamTime;
    }

    /** A progress record; returns the stream time after it. */
    public long onMark(ProgressMark mark) {
        changed = true;
        switch (mark.kind()) {
            case STREAM_TIME -> {
                streamTime = Math.max(streamTime, mark.timeMs());
                return streamTime;
            }
            case LEAVING -> sources.remove(mark.source());
            case CLOCK -> sources.merge(mark.source(), mark.timeMs(), Math::max);
        }
        sourcesChanged = true;
        forgetSilentSources();
        if (sources.isEmpty()) {
            return streamTime;
        }
        if (dataPending || dataClock == NONE) {
            // silence starts now: every data record so far was sent before the newest clock in the table
            dataPending = false;
            dataClock = Collections.max(sources.values());
            base = streamTime;
            return streamTime;
        }
        long idleFor = Collections.min(sources.values()) - dataClock;
        if (idleFor >= idleMs && base != NONE) {
            streamTime = Math.max(streamTime, base + idleFor);
        }
        return streamTime;
    }

    private void forgetSilentSources() {
        if (sources.size() < 2) {
            return;
        }
        long newest = Collections.max(sources.values());
        for (Iterator<Long> it = sources.values().iterator(); it.hasNext(); ) {
            if (it.next() < newest - silenceMs) {
                it.remove();
            }
        }
    }

    /** True when the state changed since the last {@link #entries()} call, i.e. it needs saving. */
    public boolean changed() {
        return changed;
    }

    /** Stream time, or {@link #NONE} before the first data record or mark. */
    public long streamTimeMs() {
        return streamTime;
    }

    /** The producers that currently hold time back, with their latest clock. */
    public SortedMap<String, Long> liveSources() {
        return Collections.unmodifiableSortedMap(sources);
    }

    /** The state as key/value entries, for a {@code KeyValueStore<String, Long>}; keys of absent values are left out. */
    public Map<String, Long> entries() {
        changed = false;
        sourcesChanged = false;
        TreeMap<String, Long> out = new TreeMap<>();
        putIfSet(out, STREAM_TIME, streamTime);
        putIfSet(out, BASE, base);
        putIfSet(out, DATA_CLOCK, dataClock);
        out.put(DATA_PENDING, dataPending ? 1L : 0L);
        sources.forEach((source, clock) -> out.put(SOURCE_PREFIX + source, clock));
        return out;
    }

    /** Writes the changed state into {@code sink} (see {@link PartitionTimeStore}); cheap when only data moved time. */
    void saveTo(Sink sink) {
        sink.scalar(STREAM_TIME, streamTime);
        sink.scalar(BASE, base);
        sink.scalar(DATA_CLOCK, dataClock);
        sink.scalar(DATA_PENDING, dataPending ? 1L : 0L);
        if (sourcesChanged) {
            sink.sources(SOURCE_PREFIX, sources);
        }
        changed = false;
        sourcesChanged = false;
    }

    /** Where {@link #saveTo} writes. */
    interface Sink {
        /** One value; {@link #NONE} means absent. */
        void scalar(String key, long value);

        /** The whole table of live sources, keys prefixed. */
        void sources(String prefix, Map<String, Long> sources);
    }

    private static void putIfSet(Map<String, Long> out, String key, long value) {
        if (value != NONE) {
            out.put(key, value);
        }
    }
}
