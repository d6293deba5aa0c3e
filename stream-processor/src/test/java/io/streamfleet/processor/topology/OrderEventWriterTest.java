package io.streamfleet.processor.topology;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.topic.Topics;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OrderEventWriterTest {

    private static final Serializer<OrderEvent> CONTRACT = Topics.ORDER_EVENT_SERDE.serializer();
    private final OrderEventWriter writer = new OrderEventWriter(ContractMapper.shared());

    @Test
    void shouldWriteNothingForNoEvent() {
        assertThat(writer.serialize("orders.clean", null)).isNull();
    }

    @Property(tries = 3000)
    void shouldWriteTheContractSerdesBytesForAnyOrder(@ForAll("orders") OrderEvent order) {
        assertThat(writer.serialize("orders.clean", order)).isEqualTo(CONTRACT.serialize("orders.clean", order));
    }

    @Property(tries = 500)
    void shouldBeReadBackAsTheSameOrder(@ForAll("orders") OrderEvent order) {
        assertThat(Topics.ORDER_EVENT_SERDE.deserializer().deserialize("orders.clean",
                writer.serialize("orders.clean", order))).isEqualTo(order);
    }

    @Provide
    Arbitrary<OrderEvent> orders() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().withChars("._-|").ofMaxLength(20),
                Arbitraries.strings().all().ofMaxLength(8));
        Arbitrary<Double> price = Arbitraries.oneOf(Arbitraries.doubles().between(0.0001, 1e9).ofScale(6),
                Arbitraries.doubles(), Arbitraries.of(0.1, 1e21, 1e-7, 100.10, Double.MIN_VALUE, Double.MAX_VALUE));
        Arbitrary<Long> longs = Arbitraries.oneOf(Arbitraries.longs(),
                Arbitraries.longs().between(0, 2_000_000_000_000L));
        return Combinators.combine(List.of(any(text), any(text), any(text),
                        any(Arbitraries.of(OrderEventType.class).injectNull(0.05)), any(text.injectNull(0.3)),
                        any(Arbitraries.of(Side.class).injectNull(0.3)), any(price), any(longs), any(longs)))
                .as(v -> new OrderEvent((String) v.get(0), (String) v.get(1), (String) v.get(2),
                        (OrderEventType) v.get(3), (String) v.get(4), (Side) v.get(5), (Double) v.get(6),
                        (Long) v.get(7), (Long) v.get(8)));
    }

    private static Arbitrary<Object> any(Arbitrary<?> values) {
        return values.map(v -> v);
    }
}
