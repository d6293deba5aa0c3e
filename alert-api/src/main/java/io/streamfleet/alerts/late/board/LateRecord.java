package io.streamfleet.alerts.late.board;

import java.util.Objects;

/**
 * One record read from a late topic: which stage diverted it, its key, its event time, how far behind the stage's
 * watermark it was ({@code -1} when the record did not say) and when alert-api read it (wall clock).
 */
public record LateRecord(String topic, String stage, String key, long eventTimeMs, long behindMs, long arrivalMs) {

    /** Longest key kept (keys are {@code accountId|symbol} or a user id); bounds the memory of one item. */
    public static final int MAX_KEY_LENGTH = 256;
    /** Longest stage name kept. */
    public static final int MAX_STAGE_LENGTH = 64;

    public LateRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(key, "key");
    }
}
