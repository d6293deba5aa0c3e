package io.streamfleet.contracts;

import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.json.ContractReader;
import io.streamfleet.contracts.json.JsonKind;
import io.streamfleet.contracts.json.JsonShape;
import tools.jackson.databind.json.JsonMapper;

import java.util.Arrays;
import java.util.List;

import static io.streamfleet.contracts.json.FieldSpec.optional;
import static io.streamfleet.contracts.json.FieldSpec.optionalOneOf;
import static io.streamfleet.contracts.json.FieldSpec.required;
import static io.streamfleet.contracts.json.FieldSpec.requiredOneOf;

/**
 * The JSON shapes of the four contracts of docs/contracts.md and validating readers for them. The JSON Schema files
 * under {@code schemas/} state the same rules for other languages; a test keeps both in step.
 */
public final class Contracts {

    /** Version of the contract set; the JSON Schema files carry the same number. */
    public static final String SCHEMA_VERSION = "1.0.0";

    public static final JsonShape ORDER_EVENT_SHAPE = new JsonShape("OrderEvent", List.of(
            required("eventId", JsonKind.STRING),
            required("accountId", JsonKind.STRING),
            required("symbol", JsonKind.STRING),
            requiredOneOf("eventType", names(OrderEventType.values())),
            optional("orderId", JsonKind.STRING),
            optionalOneOf("side", names(Side.values())),
            required("price", JsonKind.NUMBER),
            required("qty", JsonKind.INTEGER),
            required("eventTimeMs", JsonKind.INTEGER)));

    public static final JsonShape ENGAGEMENT_EVENT_SHAPE = new JsonShape("EngagementEvent", List.of(
            required("eventId", JsonKind.STRING),
            required("userId", JsonKind.STRING),
            required("contentId", JsonKind.STRING),
            requiredOneOf("eventType", Arrays.stream(EngagementEventType.values())
                    .map(EngagementEventType::wireName).toList()),
            required("eventTimeMs", JsonKind.INTEGER),
            optional("dwellMs", JsonKind.INTEGER),
            optional("completed", JsonKind.BOOLEAN)));

    public static final JsonShape ANOMALY_ALERT_SHAPE = new JsonShape("AnomalyAlert", List.of(
            required("alertId", JsonKind.STRING),
            requiredOneOf("type", List.of("BURST_CREATE_MASS_CANCEL")),
            required("accountId", JsonKind.STRING),
            required("symbol", JsonKind.STRING),
            required("windowStartMs", JsonKind.INTEGER),
            required("windowEndMs", JsonKind.INTEGER),
            required("created", JsonKind.INTEGER),
            required("canceled", JsonKind.INTEGER),
            required("cancelRatio", JsonKind.NUMBER),
            required("uniquePriceLevels", JsonKind.INTEGER),
            required("detectedAtMs", JsonKind.INTEGER),
            optional("note", JsonKind.STRING)));

    public static final JsonShape ENGAGEMENT_ALERT_SHAPE = new JsonShape("EngagementAlert", List.of(
            required("alertId", JsonKind.STRING),
            requiredOneOf("type", List.of("ENGAGEMENT_DROP")),
            required("userId", JsonKind.STRING),
            required("sessionStartMs", JsonKind.INTEGER),
            required("sessionEndMs", JsonKind.INTEGER),
            required("asdMs", JsonKind.NUMBER),
            required("baselineAsdMs", JsonKind.NUMBER),
            required("dropRatio", JsonKind.NUMBER),
            required("detectedAtMs", JsonKind.INTEGER),
            optional("note", JsonKind.STRING)));

    private Contracts() {
    }

    public static ContractReader<OrderEvent> orderEventReader(JsonMapper mapper) {
        return new ContractReader<>(OrderEvent.class, ORDER_EVENT_SHAPE, mapper);
    }

    public static ContractReader<EngagementEvent> engagementEventReader(JsonMapper mapper) {
        return new ContractReader<>(EngagementEvent.class, ENGAGEMENT_EVENT_SHAPE, mapper);
    }

    public static ContractReader<AnomalyAlert> anomalyAlertReader() {
        return new ContractReader<>(AnomalyAlert.class, ANOMALY_ALERT_SHAPE, ContractMapper.shared());
    }

    public static ContractReader<EngagementAlert> engagementAlertReader() {
        return new ContractReader<>(EngagementAlert.class, ENGAGEMENT_ALERT_SHAPE, ContractMapper.shared());
    }

    public static ContractReader<OrderEvent> orderEventReader() {
        return orderEventReader(ContractMapper.shared());
    }

    public static ContractReader<EngagementEvent> engagementEventReader() {
        return engagementEventReader(ContractMapper.shared());
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }
}
