package io.streamfleet.session.topology;

import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.json.EngagementEventReader;
import io.streamfleet.contracts.topic.Topics;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * {@code engagement.clean → sessions → engagement.sessions + alerts.engagement}, late events to
 * {@code engagement.late}; the progress records of {@code engagement.clean} move stream time and go nowhere. A plain
 * class: settings come in as records, Spring only runs the result.
 */
public final class SessionTopology {

    public static final String SOURCE = "session-engagement-source";
    public static final String PROCESSOR = "session-windows";
    public static final String SESSION_SINK = "session-sessions-sink";
    public static final String ALERT_SINK = "session-alerts-sink";
    public static final String LATE_SINK = "session-late-sink";

    private SessionTopology() {
    }

    /**
     * Topic names and store kind of one deployment.
     *
     * @param inputTopic       engagement events (engagement.clean)
     * @param sessionsTopic    closed sessions (engagement.sessions)
     * @param alertsTopic      engagement-drop alerts (alerts.engagement)
     * @param lateTopic        events behind the grace (engagement.late)
     * @param persistentStores RocksDB (true) or in-memory stores (tests, benchmarks); both changelogged
     */
    public record TopicNames(String inputTopic, String sessionsTopic, String alertsTopic, String lateTopic,
                         boolean persistentStores) {

        public static TopicNames defaults() {
            return new TopicNames(Topics.ENGAGEMENT_CLEAN.name(),
                    Topics.ENGAGEMENT_SESSIONS.name(),
                    Topics.ALERTS_ENGAGEMENT.name(),
                    Topics.ENGAGEMENT_LATE.name(), true);
        }
    }

    public static Topology build(TopicNames topics, SessionSettings settings, SessionMetrics metrics) {
        Topology topology = new Topology();
        // progress records (null value, marked by a header) reach the processor as null values, which reads the mark
        topology.addSource(AutoOffsetReset.earliest(), SOURCE, new EngagementEventTimeExtractor(),
                Topics.KEY.deserializer(),
                ProgressRecords.skipping(new EngagementEventReader()), topics.inputTopic());
        SessionProcessor.Sinks sinks = new SessionProcessor.Sinks(SESSION_SINK, ALERT_SINK, LATE_SINK);
        topology.addProcessor(PROCESSOR,
                () -> new SessionProcessor(settings, metrics, topics.inputTopic(), sinks), SOURCE);
        for (StoreBuilder<?> store : SessionStores.builders(topics.persistentStores())) {
            topology.addStateStore(store, PROCESSOR);
        }
        // the contract serde's bytes, written without databind (OutputJsonWriters)
        topology.addSink(SESSION_SINK, topics.sessionsTopic(), Topics.KEY.serializer(),
                OutputJsonWriters.sessions(), PROCESSOR);
        topology.addSink(ALERT_SINK, topics.alertsTopic(), Topics.KEY.serializer(),
                OutputJsonWriters.alerts(), PROCESSOR);
        topology.addSink(LATE_SINK, topics.lateTopic(), Topics.KEY.serializer(),
                Topics.ENGAGEMENT_EVENT_SERDE.serializer(), PROCESSOR);
        return topology;
    }
}
