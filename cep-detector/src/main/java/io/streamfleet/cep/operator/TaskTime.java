package io.streamfleet.cep.operator;

import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.support.progress.PartitionTime;
import io.streamfleet.support.progress.ProgressRules;
import io.streamfleet.support.progress.TaskStreamTime;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Event time of one detector task, all of it taken from the input log and kept in the task's meta store: the
 * partition's stream time ({@link TaskStreamTime}: order event times and stream-processor's {@code stream-time}
 * marks), the watermark the buffer was last drained to, and the rule that says when to drain again — the part that is
 * the detector's own. Deterministic: the same records from the same stored state give the same evaluation points.
 */
final class TaskTime {

    /** Returned by {@link #onData} and {@link #onMark} when nothing is to be evaluated. */
    static final long NO_EVALUATION = Long.MIN_VALUE;
    static final String WATERMARK = "watermark";
    /** TaskStreamTime's stream-time key; absent in state written before progress records existed. */
    static final String STREAM_TIME = "stream-time";

    private final KeyValueStore<String, Long> meta;
    private final TaskStreamTime time;
    private final long latenessMs;
    private final long intervalMs;
    private long watermark;

    TaskTime(KeyValueStore<String, Long> meta, long latenessMs, long intervalMs) {
        this.meta = meta;
        this.latenessMs = latenessMs;
        this.intervalMs = intervalMs;
        Long drained = meta.get(WATERMARK);
        this.watermark = drained == null ? Long.MIN_VALUE : drained;
        this.time = TaskStreamTime.load(meta, ProgressRules.defaults());
        if (watermark != Long.MIN_VALUE) {
            // state of a version without progress records: its stream time was at least W + lateness
            time.seedIfUnset(watermark + latenessMs);
        }
    }

    /** Stream time, or {@link PartitionTime#NONE} before the first record. */
    long streamTimeMs() {
        return time.streamTimeMs();
    }

    /** The watermark the buffer was last drained to; {@link Long#MIN_VALUE} before the first evaluation. */
    long watermarkMs() {
        return watermark;
    }

    /** Orders with an event time below this are late: {@code max(drained watermark, stream time − lateness)}. */
    long lateBoundMs() {
        long streamTime = time.streamTimeMs();
        return Math.max(watermark, streamTime == PartitionTime.NONE ? Long.MIN_VALUE : streamTime - latenessMs);
    }

    /**
     * An accepted order: returns the watermark to evaluate to when it moved at least the evaluation interval past
     * the last evaluated one, else {@link #NO_EVALUATION}.
     */
    long onData(long eventTimeMs) {
        long next = time.onData(eventTimeMs) - latenessMs;
        return next >= watermark + intervalMs ? next : NO_EVALUATION;
    }

    /** A progress mark: returns the watermark to evaluate to whenever it moved, else {@link #NO_EVALUATION}. */
    long onMark(ProgressMark mark) {
        long streamTime = time.onMark(mark);
        return streamTime != PartitionTime.NONE && streamTime - latenessMs > watermark
                ? streamTime - latenessMs : NO_EVALUATION;
    }

    /** The buffer was drained and every due key evaluated up to {@code watermarkMs}. */
    void evaluated(long watermarkMs) {
        watermark = watermarkMs;
        meta.put(WATERMARK, watermarkMs);
    }
}
