package io.streamfleet.alerts.late.board;

/**
 * Which keys to list: optionally one topic and/or one key (null = any), at most {@code limit}, most late records first.
 */
public record LateQuery(String topic, String key, int limit) {

    public LateQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: must be at least 1");
        }
    }

    boolean matches(String entryTopic, String entryKey) {
        return (topic == null || topic.equals(entryTopic)) && (key == null || key.equals(entryKey));
    }
}
