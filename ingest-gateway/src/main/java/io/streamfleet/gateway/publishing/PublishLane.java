package io.streamfleet.gateway.publishing;

/**
 * Which of the gateway's two producers carries a publish (docs/ingest-gateway.md, "Two producers"). A lane's name is
 * its {@code lane} tag on the publish and progress meters.
 */
public enum PublishLane {

    /** Arrays, NDJSON and WebSocket messages: a producer that lingers, so its requests fill up. */
    BATCHES("batches", ""),
    /** HTTP requests that carry one event: a producer that sends at once. */
    SINGLE_EVENTS("single-events", ".single");

    private final String tag;
    private final String writerSuffix;

    PublishLane(String tag, String writerSuffix) {
        this.tag = tag;
        this.writerSuffix = writerSuffix;
    }

    public String tag() {
        return tag;
    }

    /**
     * The name this lane's producer writes its progress records under. Each producer is a writer of its own: a mark
     * follows only the events of the producer it went through, so readers must wait for each producer separately.
     */
    public String writerId(String instanceId) {
        return instanceId + writerSuffix;
    }
}
