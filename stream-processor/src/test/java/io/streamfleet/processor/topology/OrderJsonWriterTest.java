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
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamWriteFeature;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class OrderJsonWriterTest {

    private static final Serializer<OrderEvent> SERDE = Topics.ORDER_EVENT_SERDE.serializer();

    @Property(tries = 3000)
    void shouldWriteTheContractSerdesBytesWhenGivenAnyOrder(@ForAll("orders") OrderEvent order) {
        AtomicInteger fallbacks = new AtomicInteger();
        OrderJsonWriter writer = new OrderJsonWriter(SERDE,
                ContractMapper.shared().isEnabled(StreamWriteFeature.USE_FAST_DOUBLE_WRITER),
                fallbacks::incrementAndGet);

        byte[] written = writer.serialize("orders.clean", order);

        assertThat(new String(written, StandardCharsets.UTF_8))
                .isEqualTo(new String(SERDE.serialize("orders.clean", order), StandardCharsets.UTF_8));
        assertThat(written).isEqualTo(SERDE.serialize("orders.clean", order));
        Statistics.label("path").collect(fallbacks.get() == 0 ? "written directly" : "contract serde");
        Statistics.label("path").coverage(c -> c.check("written directly").percentage(p -> p > 10));
    }

    @Test
    void shouldWriteTypicalOrderWithoutTheSerdeWhenItsStringsArePlain() {
        AtomicInteger fallbacks = new AtomicInteger();
        OrderJsonWriter writer = new OrderJsonWriter(SERDE, false, fallbacks::incrementAndGet);
        OrderEvent order = new OrderEvent("ev-1/a", "acc-7", "AAPL.O", OrderEventType.CANCELLED, null, Side.SELL,
                100.37, 12, 1_767_225_600_123L);

        assertThat(new String(writer.serialize("t", order), StandardCharsets.UTF_8)).isEqualTo("{\"eventId\":\"ev-1/a\","
                + "\"accountId\":\"acc-7\",\"symbol\":\"AAPL.O\",\"eventType\":\"CANCELLED\",\"orderId\":null,"
                + "\"side\":\"SELL\",\"price\":100.37,\"qty\":12,\"eventTimeMs\":1767225600123}");
        assertThat(fallbacks.get()).isZero();
        assertThat(writer.serialize("t", null)).isNull();
    }

    @Test
    void shouldLeaveEscapedOrNonAsciiStringsAndNonFinitePricesToTheSerdeWhenWriting() {
        AtomicInteger fallbacks = new AtomicInteger();
        OrderJsonWriter writer = new OrderJsonWriter(SERDE, false, fallbacks::incrementAndGet);
        OrderEvent plain = new OrderEvent("e", "a", "S", OrderEventType.CREATED, "o", Side.BUY, 1.5, 1, 0);
        for (OrderEvent odd : new OrderEvent[] {plain.withEventId("quote\"d"), plain.withEventId("back\\slash"),
                plain.withEventId("tab\t"), plain.withEventId("é"), plain.withEventId("\u2028"),
                new OrderEvent("e", "a", "S", OrderEventType.CREATED, "o\u0000", Side.BUY, 1.5, 1, 0),
                new OrderEvent("e", "a", "S", OrderEventType.CREATED, "o", Side.BUY, Double.NaN, 1, 0)}) {
            assertThat(writer.serialize("t", odd)).isEqualTo(SERDE.serialize("t", odd));
        }
        assertThat(fallbacks.get()).isEqualTo(7);
    }

    @Provide
    Arbitrary<OrderEvent> orders() {
        return anyOrder();
    }

    /** Orders of any content: mostly printable ASCII strings, some of any characters, odd numbers, nulls. */
    static Arbitrary<OrderEvent> anyOrder() {
        // mostly printable ASCII (the writer's own path), the rest anything (the serde's)
        Arbitrary<String> text = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.strings().ascii().ofMinLength(0).ofMaxLength(40)),
                Tuple.of(12, Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(40)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(12)),
                Tuple.of(3, Arbitraries.of("e-1", "acc|x", "SYM.A", "a/b", "<&>'", "")));
        Arbitrary<Double> price = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 100_000).map(cents -> cents / 100.0),
                Arbitraries.doubles(),
                Arbitraries.of(Double.MIN_VALUE, Double.MAX_VALUE, 1e-7, 1e7, 1e21, 1e-3, 0.001, 9_999_999.0,
                        10_000_000.0, -0.0, 0.0, -1.5, Double.NaN, Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY, 2e-3, 1.0E23));
        Arbitrary<Long> number = Arbitraries.oneOf(Arbitraries.longs(),
                Arbitraries.longs().between(-1_000, 1_000),
                Arbitraries.of(0L, -1L, 9L, 10L, 99L, 100L, Long.MAX_VALUE, Long.MIN_VALUE, 999_999_999_999_999_999L,
                        1_000_000_000_000_000_000L, 1_767_225_600_000L));
        Arbitrary<OrderEventType> type = Arbitraries.of(OrderEventType.class).injectNull(0.05);
        Arbitrary<Side> side = Arbitraries.of(Side.class).injectNull(0.3);
        Arbitrary<long[]> qtyAndTime = Combinators.combine(number, number).as((qty, time) -> new long[] {qty, time});
        return Combinators.combine(text.injectNull(0.02), text, text, type, text.injectNull(0.3), side, price,
                qtyAndTime).as((id, account, symbol, t, orderId, s, p, n) ->
                new OrderEvent(id, account, symbol, t, orderId, s, p, n[0], n[1]));
    }
}
