package io.streamfleet.alerts.late.board;

/**
 * What the board knows about one key on one late topic as diverted by one stage, counted since {@code firstArrivalMs} (the moment the board
 * started tracking it; earlier late records of the key expired or were evicted).
 *
 * @param count               late records of the key since {@code firstArrivalMs}
 * @param earliestEventTimeMs smallest event time among them
 * @param latestEventTimeMs   largest event time among them
 * @param maxBehindMs         the most any of them was behind its stage's watermark ({@code -1} when none said)
 * @param firstArrivalMs      when alert-api read the first of them (wall clock)
 * @param lastArrivalMs       when alert-api read the last of them (wall clock)
 */
public record LateKeyStats(String topic, String stage, String key, long count, long earliestEventTimeMs,
                           long latestEventTimeMs, long maxBehindMs, long firstArrivalMs, long lastArrivalMs) {
}
