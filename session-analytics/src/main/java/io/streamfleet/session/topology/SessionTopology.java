package io.streamfleet.session.topology;

import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.support.time.BacklogProbe;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * {@code engagement.clean → sessions → engagement.sessions + alerts.engagement}, late events to
 * {@code engagement.late}. A plain class: settings come in as records, Spring only runs the result.
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
        return build(topics, settings, metrics, BacklogProbe.none());
    }

    public static Topology build(TopicNames topics, SessionSettings settings, SessionMetrics metrics,
                                 BacklogProbe backlog) {
        Topology topology = new Topology();
        topology.addSource(AutoOffsetReset.earliest(), SOURCE, new EngagementEventTimeExtractor(),
                Topics.KEY.deserializer(),
                Topics.ENGAGEMENT_EVENT_SERDE.deserializer(), topics.inputTopic());
        SessionProcessor.Sinks sinks = new SessionProcessor.Sinks(SESSION_SINK, ALERT_SINK, LATE_SINK);
        topology.addProcessor(PROCESSOR,
                () -> new SessionProcessor(settings, metrics, backlog, topics.inputTopic(), sinks), SOURCE);
        for (StoreBuilder<?> store : SessionStores.builders(topics.persistentStores())) {
            topology.addStateStore(store, PROCESSOR);
        }
        topology.addSink(SESSION_SINK, topics.sessionsTopic(), Topics.KEY.serializer(),
                Topics.ENGAGEMENT_SESSION_SERDE.serializer(), PROCESSOR);
        topology.addSink(ALERT_SINK, topics.alertsTopic(), Topics.KEY.serializer(),
                Topics.ENGAGEMENT_ALERT_SERDE.serializer(), PROCESSOR);
        topology.addSink(LATE_SINK, topics.lateTopic(), Topics.KEY.serializer(),
                Topics.ENGAGEMENT_EVENT_SERDE.serializer(), PROCESSOR);
        return topology;
    }
}
