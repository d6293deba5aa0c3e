package io.streamfleet.contracts;

import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.topic.Topic;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.contracts.validation.FieldError;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ContractJsonTest {

    static final OrderEvent ORDER = new OrderEvent("o-1", "acc", "AAPL", OrderEventType.CREATED, "ord-1", Side.BUY,
            187.42, 100, 1_732_431_600_000L);
    static final EngagementEvent ENGAGEMENT = new EngagementEvent("e-1", "u-1", "c-1", EngagementEventType.VIEW_END,
            1_732_431_600_000L, 42_000, true);
    static final AnomalyAlert ANOMALY = new AnomalyAlert("bcmc_1", AlertType.BURST_CREATE_MASS_CANCEL, "acc", "AAPL",
            1, 2, 12, 10, 0.833, 3, List.of(1L, 2L, 3L), 5, "note");
    static final EngagementAlert ENGAGEMENT_ALERT = new EngagementAlert("edrop_1", AlertType.ENGAGEMENT_DROP, "u-1",
            1, 2, 12_000.0, 40_000.0, 0.7, 3, "note");

    @Test
    void shouldRoundTripEveryContractThroughItsTopicSerde() {
        assertThat(roundTrip(Topics.ORDERS_RAW, ORDER)).isEqualTo(ORDER);
        assertThat(roundTrip(Topics.ENGAGEMENT_RAW, ENGAGEMENT)).isEqualTo(ENGAGEMENT);
        assertThat(roundTrip(Topics.ALERTS_ANOMALY, ANOMALY)).isEqualTo(ANOMALY);
        assertThat(roundTrip(Topics.ALERTS_ENGAGEMENT, ENGAGEMENT_ALERT)).isEqualTo(ENGAGEMENT_ALERT);
    }

    @Test
    void shouldWriteEngagementTypesInLowerSnakeCase() {
        byte[] json = Topics.ENGAGEMENT_EVENT_SERDE.serializer().serialize("t", ENGAGEMENT);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"eventType\":\"view_end\"");
    }

    @Test
    void shouldIgnoreUnknownFieldsWhenReading() {
        String json = """
                {"eventId":"o-1","accountId":"acc","symbol":"AAPL","eventType":"CREATED","orderId":"ord-1",
                 "side":"BUY","price":187.42,"qty":100,"eventTimeMs":1732431600000,"venue":"X","deep":{"a":[1]}}""";
        assertThat(Contracts.orderEventReader().read(json.getBytes(StandardCharsets.UTF_8)).value()).isEqualTo(ORDER);
        assertThat(Topics.ORDER_EVENT_SERDE.deserializer().deserialize("t", json.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(ORDER);
    }

    @Test
    void shouldApplyEngagementDefaultsWhenOptionalFieldsAreMissing() {
        String json = """
                {"eventId":"e-1","userId":"u-1","contentId":"c-1","eventType":"click","eventTimeMs":5}""";
        EngagementEvent event = Contracts.engagementEventReader().read(json.getBytes(StandardCharsets.UTF_8)).value();
        assertThat(event.dwellMs()).isZero();
        assertThat(event.completed()).isFalse();
    }

    @Test
    void shouldReportEveryFailingFieldAtOnce() {
        String json = """
                {"eventId":"","accountId":"acc","symbol":"A B","eventType":"CREATED","price":-1,"qty":0,"eventTimeMs":1}""";
        List<FieldError> errors = Contracts.orderEventReader().read(json.getBytes(StandardCharsets.UTF_8)).errors();
        assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("eventId", "symbol", "price", "qty");
    }

    @Test
    void shouldRejectNanAndMalformedJsonAsDocumentErrors() {
        String nan = """
                {"eventId":"o","accountId":"a","symbol":"S","eventType":"CREATED","price":NaN,"qty":1,"eventTimeMs":1}""";
        assertThat(Contracts.orderEventReader().read(nan.getBytes(StandardCharsets.UTF_8)).errors())
                .extracting(FieldError::field).containsExactly("$");
        assertThat(Contracts.orderEventReader().read("{\"eventId\":".getBytes(StandardCharsets.UTF_8)).errors())
                .singleElement().satisfies(e -> assertThat(e.message()).startsWith("malformed JSON"));
    }

    @Test
    void shouldRejectIntegersBeyondLongRangeNamingTheField() {
        String json = """
                {"eventId":"o","accountId":"a","symbol":"S","eventType":"CREATED","price":1,"qty":1,
                 "eventTimeMs":99999999999999999999999}""";
        assertThat(Contracts.orderEventReader().read(json.getBytes(StandardCharsets.UTF_8)).errors())
                .extracting(FieldError::field).containsExactly("eventTimeMs");
    }

    @Test
    void shouldRejectADocumentThatIsNotAnObject() {
        assertThat(Contracts.orderEventReader().read("[1,2]".getBytes(StandardCharsets.UTF_8)).errors())
                .extracting(FieldError::field).containsExactly("$");
    }

    @Test
    void shouldKeyOrdersByAccountAndSymbolAndAlertsBySubject() {
        assertThat(ORDER.key()).isEqualTo("acc|AAPL");
        assertThat(ANOMALY.key()).isEqualTo("acc|AAPL");
        assertThat(ENGAGEMENT.key()).isEqualTo("u-1");
        assertThat(ENGAGEMENT_ALERT.key()).isEqualTo("u-1");
    }

    private static <V> V roundTrip(Topic<String, V> topic, V value) {
        byte[] bytes = topic.value().serializer().serialize(topic.name(), value);
        return topic.value().deserializer().deserialize(topic.name(), bytes);
    }
}
