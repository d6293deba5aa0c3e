package io.streamfleet.gateway.intake;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.json.ContractMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** The directly written event bytes are the contract mapper's bytes, and decode to the same event. */
class EventJsonTest {

    @Property(tries = 2000)
    void shouldWriteOrdersAsTheContractMapperDoes(@ForAll("orders") OrderEvent order) {
        byte[] bytes = EventJson.bytes(order);
        assertThat(bytes).isEqualTo(ContractMapper.shared().writeValueAsBytes(order));
        assertThat(ContractMapper.shared().readValue(bytes, OrderEvent.class)).isEqualTo(order);
        boolean plain = EventJson.plain(order.eventId()) && EventJson.plain(order.accountId())
                && EventJson.plain(order.symbol()) && EventJson.plain(order.orderId());
        assertThat(EventJson.order(order) != null).isEqualTo(plain);
    }

    @Property(tries = 1000)
    void shouldWriteEngagementAsTheContractMapperDoes(@ForAll("engagement") EngagementEvent event) {
        byte[] bytes = EventJson.bytes(event);
        assertThat(bytes).isEqualTo(ContractMapper.shared().writeValueAsBytes(event));
        assertThat(ContractMapper.shared().readValue(bytes, EngagementEvent.class)).isEqualTo(event);
    }

    @Example
    void shouldLeaveStringsThatNeedEscapingToTheMapper() {
        OrderEvent order = new OrderEvent("e\"1", "acc", "S", OrderEventType.CREATED, null, null, 1.5, 1, 0);
        assertThat(EventJson.order(order)).isNull();
        assertThat(EventJson.bytes(order)).isEqualTo(ContractMapper.shared().writeValueAsBytes(order));
        assertThat(EventJson.plain("a b~!/")).isTrue();
        assertThat(EventJson.plain("a\\b")).isFalse();
        assertThat(EventJson.plain("\u007f")).isFalse();
        assertThat(EventJson.plain("\u00e9")).isFalse();
        assertThat(EventJson.plain("\n")).isFalse();
    }

    private static Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ascii().ofMinLength(0).ofMaxLength(20),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40),
                Arbitraries.strings().all().ofMaxLength(8),
                Arbitraries.of("acc-1", "AAPL", "e-\uD83D\uDE80", "x\u0000y", "\u2028", "\u00e9t\u00e9"));
    }

    private static Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.doubles().between(0.01, 100_000).ofScale(2),
                Arbitraries.of(Double.MIN_VALUE, Double.MAX_VALUE, -0.0, 0.0, 1e-7, 1e7, 9_999_999.0, 1e21,
                        0.1 + 0.2, 187.42, 3.0));
    }

    private static Arbitrary<Long> longs() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-5, 5),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Provide
    Arbitrary<OrderEvent> orders() {
        return Combinators.combine(strings(), strings(), strings(), Arbitraries.of(OrderEventType.class).injectNull(0.1),
                        strings().injectNull(0.3), Arbitraries.of(Side.class).injectNull(0.3), doubles(), longs())
                .flatAs((id, account, symbol, type, orderId, side, price, qty) -> longs().map(time ->
                        new OrderEvent(id, account, symbol, type, orderId, side, price, qty, time)));
    }

    @Provide
    Arbitrary<EngagementEvent> engagement() {
        return Combinators.combine(strings(), strings(), strings(),
                        Arbitraries.of(EngagementEventType.class).injectNull(0.1), longs(), longs(),
                        Arbitraries.of(true, false))
                .as(EngagementEvent::new);
    }
}
