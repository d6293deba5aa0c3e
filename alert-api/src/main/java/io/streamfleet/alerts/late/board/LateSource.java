package io.streamfleet.alerts.late.board;

/** A late topic as written by one stage ({@code engagement.late} has two). Sorted by topic, then stage. */
public record LateSource(String topic, String stage) implements Comparable<LateSource> {

    @Override
    public int compareTo(LateSource other) {
        int byTopic = topic.compareTo(other.topic);
        return byTopic != 0 ? byTopic : stage.compareTo(other.stage);
    }
}
