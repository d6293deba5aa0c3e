package io.streamfleet.alerts.late.board;

/**
 * Which keys to list: optionally one topic, stage and/or key (null = any), at most {@code limit}, most late records
 * first.
 */
public record LateQuery(String topic, String stage, String key, int limit) {

    public LateQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: must be at least 1");
        }
    }

    boolean matches(String entryTopic, String entryStage, String entryKey) {
        return (topic == null || topic.equals(entryTopic)) && (stage == null || stage.equals(entryStage))
                && (key == null || key.equals(entryKey));
    }
}
