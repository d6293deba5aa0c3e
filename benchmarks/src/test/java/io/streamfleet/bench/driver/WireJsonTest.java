package io.streamfleet.bench.driver;

import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.EventTag;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.json.ContractMapper;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WireJsonTest {

    private static final OrderEvent ORDER = new OrderEvent("r1-O-7", "acct-r1-3", "AAPL", OrderEventType.CREATED,
            "o-r1-O-7", Side.BUY, 101.25, 30, 1_796_500_000_123L);
    private static final EngagementEvent VIEW = new EngagementEvent("r1-E-9", "user-r1-2", "content-4",
            EngagementEventType.VIEW_END, 1_796_500_000_456L, 1_500, true);

    @Test
    void shouldWriteAnArrayOfEventsThatParsesBackToEveryFieldWithItsKind() {
        String json = WireJson.array(List.of(BenchEvent.order(0, ORDER, EventTag.NOISE, null),
                BenchEvent.engagement(0, VIEW, EventTag.NOISE, null)));

        JsonNode array = ContractMapper.shared().readTree(json);
        assertThat(array.size()).isEqualTo(2);
        JsonNode order = array.get(0);
        assertThat(order.get("kind").asString()).isEqualTo("order");
        assertThat(order.get("eventId").asString()).isEqualTo("r1-O-7");
        assertThat(order.get("accountId").asString()).isEqualTo("acct-r1-3");
        assertThat(order.get("eventType").asString()).isEqualTo("CREATED");
        assertThat(order.get("orderId").asString()).isEqualTo("o-r1-O-7");
        assertThat(order.get("side").asString()).isEqualTo("BUY");
        assertThat(order.get("price").asDouble()).isEqualTo(101.25);
        assertThat(order.get("qty").asLong()).isEqualTo(30);
        assertThat(order.get("eventTimeMs").asLong()).isEqualTo(1_796_500_000_123L);
        JsonNode view = array.get(1);
        assertThat(view.get("kind").asString()).isEqualTo("engagement");
        assertThat(view.get("userId").asString()).isEqualTo("user-r1-2");
        assertThat(view.get("eventType").asString()).isEqualTo("view_end");
        assertThat(view.get("dwellMs").asLong()).isEqualTo(1_500);
        assertThat(view.get("completed").asBoolean()).isTrue();
    }

    @Test
    void shouldEscapeQuotesBackslashesAndControlCharactersSoTheValueParsesBackUnchanged() {
        String awkward = "a\"b\\c\nd\u0001e";
        OrderEvent order = new OrderEvent(awkward, "acct", "AAPL", OrderEventType.FILLED, null, null, 1.5, 1, 1L);

        String json = WireJson.event(BenchEvent.order(0, order, EventTag.NOISE, null), false);

        assertThat(json).startsWith("{\"eventId\":\"a\\\"b\\\\c\\u000ad\\u0001e\",");
        assertThat(ContractMapper.shared().readTree(json).get("eventId").asString()).isEqualTo(awkward);
        assertThat(json).doesNotContain("orderId").doesNotContain("side");
    }
}
