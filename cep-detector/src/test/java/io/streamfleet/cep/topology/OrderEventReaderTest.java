package io.streamfleet.cep.topology;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.topic.Topics;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The streaming reader of orders.clean must read every input exactly as the contract serde does. */
class OrderEventReaderTest {

    private final OrderEventReader reader = new OrderEventReader();
    private final Deserializer<OrderEvent> contract = Topics.ORDER_EVENT_SERDE.deserializer();

    @Property(tries = 500)
    void shouldReadEveryWrittenOrderAsTheContractSerdeDoes(@ForAll("orders") OrderEvent order) {
        byte[] json = Topics.ORDER_EVENT_SERDE.serializer().serialize("orders.clean", order);

        assertThat(reader.deserialize("orders.clean", json)).isEqualTo(order)
                .isEqualTo(contract.deserialize("orders.clean", json));
    }

    @Example
    void shouldReadOddShapesAsTheContractSerdeDoes() {
        String[] inputs = {
                // unknown field, reordered fields, integer price, missing optional fields, nulls
                "{\"eventId\":\"e1\",\"extra\":{\"a\":[1,2]},\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"CREATED\","
                        + "\"orderId\":null,\"side\":null,\"price\":100,\"qty\":1,\"eventTimeMs\":5}",
                "{\"eventTimeMs\":5,\"qty\":2,\"price\":1.5,\"side\":\"SELL\",\"orderId\":\"o\",\"eventType\":\"FILLED\","
                        + "\"symbol\":\"S\",\"accountId\":\"a\",\"eventId\":\"e1\"}",
                "{\"eventId\":\"e1\",\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"CREATED\",\"price\":1.0,"
                        + "\"qty\":1,\"eventTimeMs\":5}",
                "{\"eventId\":null,\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":null,\"orderId\":null,\"side\":null,"
                        + "\"price\":1.0,\"qty\":1,\"eventTimeMs\":5}",
                // coercions: numbers as strings, string ids as numbers, repeated field
                "{\"eventId\":7,\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"CREATED\",\"orderId\":null,"
                        + "\"side\":null,\"price\":\"2.5\",\"qty\":\"3\",\"eventTimeMs\":\"5\"}",
                "{\"eventId\":\"e1\",\"eventId\":\"e2\",\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"CREATED\","
                        + "\"orderId\":null,\"side\":null,\"price\":1.0,\"qty\":1,\"eventTimeMs\":5}",
                "{\"eventId\":\"e1\",\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":0,\"orderId\":null,"
                        + "\"side\":null,\"price\":1.0,\"qty\":1,\"eventTimeMs\":5} trailing",
                "{\"eventId\":\"e1\",\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"CREATED\",\"orderId\":null,"
                        + "\"side\":null,\"price\":1.0,\"qty\":1,\"eventTimeMs\":5} {}",
        };
        for (String input : inputs) {
            byte[] json = input.getBytes(StandardCharsets.UTF_8);
            Throwable expected = catchThrowable(() -> contract.deserialize("orders.clean", json));
            if (expected == null) {
                assertThat(reader.deserialize("orders.clean", json)).as(input)
                        .isEqualTo(contract.deserialize("orders.clean", json));
            } else {
                assertThatThrownBy(() -> reader.deserialize("orders.clean", json)).as(input)
                        .isInstanceOf(expected.getClass()).hasMessage(expected.getMessage());
            }
        }
    }

    @Example
    void shouldRejectBadInputWithTheContractsError() {
        String[] inputs = {
                "{\"eventId\":\"e1\",\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"OPENED\",\"orderId\":null,"
                        + "\"side\":null,\"price\":1.0,\"qty\":1,\"eventTimeMs\":5}",
                "{\"eventId\":\"e1\",\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"CREATED\",\"orderId\":null,"
                        + "\"side\":null,\"price\":1.0,\"qty\":1.5,\"eventTimeMs\":5}",
                "{\"eventId\":\"e1\",\"accountId\":\"a\"",
                "[1,2]",
        };
        for (String input : inputs) {
            byte[] json = input.getBytes(StandardCharsets.UTF_8);
            Throwable expected = catchThrowable(() -> contract.deserialize("orders.clean", json));
            assertThat(expected).as(input).isInstanceOf(SerializationException.class);
            assertThatThrownBy(() -> reader.deserialize("orders.clean", json)).as(input)
                    .isInstanceOf(SerializationException.class).hasMessage(expected.getMessage());
        }
    }

    @Provide
    Arbitrary<OrderEvent> orders() {
        Arbitrary<String> text = Arbitraries.strings().ofMinLength(0).ofMaxLength(20);
        Arbitrary<String> optional = text.injectNull(0.3);
        return Combinators.combine(text, text, text, Arbitraries.of(OrderEventType.class).injectNull(0.05), optional,
                        Arbitraries.of(Side.class).injectNull(0.3),
                        Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.longs().map(l -> (double) l)),
                        Arbitraries.longs().tuple2())
                .as((id, account, symbol, type, orderId, side, price, qtyAndTime) -> new OrderEvent(id, account,
                        symbol, type, orderId, side, price, qtyAndTime.get1(), qtyAndTime.get2()));
    }
}
