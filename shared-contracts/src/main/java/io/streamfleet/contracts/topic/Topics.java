package io.streamfleet.contracts.topic;

import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.evidence.AlertEvidence;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.json.ContractSerde;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.contracts.stats.OrderWindowStats;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.List;

/**
 * Every topic of the data flow (docs/architecture.md#data-flow), in one place. Keys are strings:
 * {@code accountId|symbol} or userId (docs/contracts.md#keys-and-partitions).
 */
public final class Topics {

    public static final Serde<String> KEY = Serdes.String();

    public static final Serde<OrderEvent> ORDER_EVENT_SERDE = new ContractSerde<>(OrderEvent.class);
    public static final Serde<EngagementEvent> ENGAGEMENT_EVENT_SERDE = new ContractSerde<>(EngagementEvent.class);
    public static final Serde<AnomalyAlert> ANOMALY_ALERT_SERDE = new ContractSerde<>(AnomalyAlert.class);
    public static final Serde<EngagementAlert> ENGAGEMENT_ALERT_SERDE = new ContractSerde<>(EngagementAlert.class);
    public static final Serde<AlertEvidence> ALERT_EVIDENCE_SERDE = new ContractSerde<>(AlertEvidence.class);
    public static final Serde<OrderWindowStats> ORDER_STATS_SERDE = new ContractSerde<>(OrderWindowStats.class);
    public static final Serde<EngagementSession> ENGAGEMENT_SESSION_SERDE = new ContractSerde<>(EngagementSession.class);

    public static final Topic<String, OrderEvent> ORDERS_RAW = new Topic<>("orders.raw", KEY, ORDER_EVENT_SERDE);
    public static final Topic<String, OrderEvent> ORDERS_CLEAN = new Topic<>("orders.clean", KEY, ORDER_EVENT_SERDE);
    public static final Topic<String, OrderEvent> ORDERS_LATE = new Topic<>("orders.late", KEY, ORDER_EVENT_SERDE);
    public static final Topic<String, OrderWindowStats> ORDERS_STATS =
            new Topic<>("orders.stats", KEY, ORDER_STATS_SERDE);

    public static final Topic<String, EngagementEvent> ENGAGEMENT_RAW =
            new Topic<>("engagement.raw", KEY, ENGAGEMENT_EVENT_SERDE);
    public static final Topic<String, EngagementEvent> ENGAGEMENT_CLEAN =
            new Topic<>("engagement.clean", KEY, ENGAGEMENT_EVENT_SERDE);
    public static final Topic<String, EngagementEvent> ENGAGEMENT_LATE =
            new Topic<>("engagement.late", KEY, ENGAGEMENT_EVENT_SERDE);
    public static final Topic<String, EngagementSession> ENGAGEMENT_SESSIONS =
            new Topic<>("engagement.sessions", KEY, ENGAGEMENT_SESSION_SERDE);

    /** Orders the CEP detector found behind its own watermark. */
    public static final Topic<String, OrderEvent> ORDERS_CEP_LATE = new Topic<>("orders.cep.late", KEY, ORDER_EVENT_SERDE);

    public static final Topic<String, AnomalyAlert> ALERTS_ANOMALY =
            new Topic<>("alerts.anomaly", KEY, ANOMALY_ALERT_SERDE);
    public static final Topic<String, EngagementAlert> ALERTS_ENGAGEMENT =
            new Topic<>("alerts.engagement", KEY, ENGAGEMENT_ALERT_SERDE);

    /** The matched orders of each anomaly alert, for the console's drill-down (bounded per alert). */
    public static final Topic<String, AlertEvidence> ALERTS_EVIDENCE =
            new Topic<>("alerts.evidence", KEY, ALERT_EVIDENCE_SERDE);

    /** alert-api's own topics: webhook subscriptions (compacted) and dead-lettered deliveries. */
    public static final String WEBHOOK_SUBSCRIPTIONS = "alerts.webhooks.subscriptions";
    public static final String WEBHOOK_DEAD_LETTER = "alerts.webhooks.dlq";
    public static final String WEBHOOK_ATTEMPTS = "alerts.webhooks.attempts";

    private Topics() {
    }

    /** Names of the data-flow topics (docs/architecture.md#data-flow) that every deployment must create. */
    public static List<String> dataFlowTopicNames() {
        return List.of(ORDERS_RAW.name(), ORDERS_CLEAN.name(), ORDERS_LATE.name(), ORDERS_STATS.name(),
                ENGAGEMENT_RAW.name(), ENGAGEMENT_CLEAN.name(), ENGAGEMENT_LATE.name(), ENGAGEMENT_SESSIONS.name(),
                ORDERS_CEP_LATE.name(), ALERTS_ANOMALY.name(), ALERTS_ENGAGEMENT.name(), ALERTS_EVIDENCE.name(),
                WEBHOOK_DEAD_LETTER, WEBHOOK_ATTEMPTS);
    }

    /** Topics that must be log-compacted (latest value per key is the state). */
    public static List<String> compactedTopicNames() {
        return List.of(WEBHOOK_SUBSCRIPTIONS);
    }
}
