package io.streamfleet.processor.topology;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.json.OrderEventReader;
import io.streamfleet.contracts.topic.Topics;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanonicalOrderReaderTest {

    private static final Serializer<OrderEvent> WRITER = Topics.ORDER_EVENT_SERDE.serializer();
    private static final Deserializer<OrderEvent> SERDE = Topics.ORDER_EVENT_SERDE.deserializer();

    /** One corruption of a document: kind, where (fraction of its length), which byte. */
    record Edit(int kind, double where, byte with) {
        byte[] apply(byte[] d) {
            int at = Math.min(d.length - 1, (int) (where * d.length));
            return switch (kind) {
                case 1 -> {
                    byte[] copy = d.clone();
                    copy[at] = with;
                    yield copy;
                }
                case 2 -> {
                    byte[] copy = new byte[d.length - 1];
                    System.arraycopy(d, 0, copy, 0, at);
                    System.arraycopy(d, at + 1, copy, at, d.length - at - 1);
                    yield copy;
                }
                case 3 -> {
                    byte[] copy = new byte[d.length + 1];
                    System.arraycopy(d, 0, copy, 0, at);
                    copy[at] = with;
                    System.arraycopy(d, at, copy, at + 1, d.length - at);
                    yield copy;
                }
                case 4 -> Arrays.copyOf(d, at);
                default -> d;
            };
        }
    }

    @Property(tries = 4000)
    void shouldAnswerOnlyWithTheContractSerdesEventWhenGivenAnyDocument(@ForAll("orders") OrderEvent order,
                                                                      @ForAll("edits") Edit edit) {
        byte[] document = edit.apply(WRITER.serialize("orders.raw", order));

        OrderEvent read = CanonicalOrderReader.read(document);

        Statistics.label("path").collect(read != null ? "read here" : "left to the parser");
        Statistics.label("path").coverage(c -> c.check("read here").percentage(p -> p > 10));
        if (read != null) {
            assertThat(read).isEqualTo(SERDE.deserialize("orders.raw", document));
        }
        // whatever path it takes, the whole reader answers as the contract serde
        assertSameAsSerde(document);
    }

    @Property(tries = 2000)
    void shouldReadEveryDocumentTheOrderWriterWritesItselfWhenUnchanged(@ForAll("orders") OrderEvent order) {
        byte[] document = WRITER.serialize("orders.raw", order);
        boolean plain = order.eventType() != null && Double.isFinite(order.price())
                && OrderJsonWriter.plain(order.eventId()) && OrderJsonWriter.plain(order.accountId())
                && OrderJsonWriter.plain(order.symbol()) && (order.orderId() == null
                || OrderJsonWriter.plain(order.orderId()));

        OrderEvent read = CanonicalOrderReader.read(document);

        if (plain && document.length <= CanonicalOrderReader.MAX_LENGTH) {
            assertThat(read).isEqualTo(order);
        } else if (read != null) {
            assertThat(read).isEqualTo(SERDE.deserialize("orders.raw", document));
        }
    }

    @Test
    void shouldLeaveNumbersOutsideThePlainFormsToTheParserWhenReading() {
        String head = "{\"eventId\":\"e\",\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"CREATED\","
                + "\"orderId\":null,\"side\":null,\"price\":";
        for (String price : new String[] {"01", "1.", ".5", "+1", "1e", "1.0e+", "-", "NaN", "1e400", "00.5",
                "12345678901234567890", "1_0"}) {
            byte[] document = (head + price + ",\"qty\":1,\"eventTimeMs\":2}").getBytes(StandardCharsets.UTF_8);
            assertThat(CanonicalOrderReader.read(document)).as(price).isNull();
            assertSameAsSerde(document);
        }
        for (String price : new String[] {"1", "-0", "-0.0", "0", "1e5", "1E-7", "2.5e+3", "100.37",
                "123456789012345678"}) {
            byte[] document = (head + price + ",\"qty\":1,\"eventTimeMs\":2}").getBytes(StandardCharsets.UTF_8);
            assertThat(CanonicalOrderReader.read(document)).as(price)
                    .isEqualTo(SERDE.deserialize("orders.raw", document));
        }
    }

    @Test
    void shouldLeaveEscapesWhiteSpaceAndOtherOrdersToTheParserWhenReading() {
        for (String document : new String[] {
                "{\"eventId\":\"e\\u0041\",\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"CREATED\",\"orderId\":null,\"side\":null,\"price\":1.5,\"qty\":1,\"eventTimeMs\":2}",
                "{ \"eventId\":\"e\",\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"CREATED\",\"orderId\":null,\"side\":null,\"price\":1.5,\"qty\":1,\"eventTimeMs\":2}",
                "{\"accountId\":\"a\",\"eventId\":\"e\",\"symbol\":\"S\",\"eventType\":\"CREATED\",\"orderId\":null,\"side\":null,\"price\":1.5,\"qty\":1,\"eventTimeMs\":2}",
                "{\"eventId\":\"e\",\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"CREATED\",\"price\":1.5,\"qty\":1,\"eventTimeMs\":2}",
                "{\"eventId\":\"é\",\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"CREATED\",\"orderId\":null,\"side\":null,\"price\":1.5,\"qty\":1,\"eventTimeMs\":2}",
                "{\"eventId\":\"e\",\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"created\",\"orderId\":null,\"side\":null,\"price\":1.5,\"qty\":1,\"eventTimeMs\":2}",
                "{\"eventId\":\"e\",\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"CREATED\",\"orderId\":null,\"side\":null,\"price\":1.5,\"qty\":1.0,\"eventTimeMs\":2}",
                "{\"eventId\":\"e\",\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"CREATED\",\"orderId\":null,\"side\":null,\"price\":1.5,\"qty\":1,\"eventTimeMs\":2} ",
                "{\"eventId\":\"e\",\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"CREATED\",\"orderId\":null,\"side\":null,\"price\":1.5,\"qty\":1,\"eventTimeMs\":2,\"x\":1}"}) {
            byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
            assertThat(CanonicalOrderReader.read(bytes)).as(document).isNull();
            assertSameAsSerde(bytes);
        }
        assertThat(new CanonicalOrderReader(SERDE).deserialize("t", null)).isNull();
    }

    private static void assertSameAsSerde(byte[] document) {
        Deserializer<OrderEvent> reader = new CanonicalOrderReader(new OrderEventReader());
        OrderEvent expected;
        try {
            expected = SERDE.deserialize("orders.raw", document);
        } catch (RuntimeException e) {
            assertThatThrownBy(() -> reader.deserialize("orders.raw", document)).isInstanceOf(e.getClass())
                    .hasMessage(e.getMessage());
            return;
        }
        assertThat(reader.deserialize("orders.raw", document)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<OrderEvent> orders() {
        // orders as producers send them (the fast path), and orders of any content
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(30);
        Arbitrary<OrderEvent> tame = Combinators.combine(text, text, text,
                Arbitraries.of(io.streamfleet.contracts.event.OrderEventType.class), text.injectNull(0.5),
                Arbitraries.of(io.streamfleet.contracts.event.Side.class).injectNull(0.5),
                Arbitraries.integers().between(1, 10_000_000).map(cents -> cents / 100.0),
                Arbitraries.longs().between(0, 1_900_000_000_000L)).as((id, account, symbol, type, orderId, side,
                                                                         price, time) ->
                new OrderEvent(id, account, symbol, type, orderId, side, price, 1 + time % 1_000, time));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, tame),
                net.jqwik.api.Tuple.of(1, OrderJsonWriterTest.anyOrder()));
    }

    @Provide
    Arbitrary<Edit> edits() {
        Arbitrary<Byte> interesting = Arbitraries.oneOf(
                Arbitraries.of((byte) ' ', (byte) '"', (byte) '\\', (byte) '0', (byte) '1', (byte) '-', (byte) '.',
                        (byte) 'e', (byte) ',', (byte) '}', (byte) '{', (byte) 'n', (byte) ':', (byte) 0x7f,
                        (byte) 0xc3, (byte) '\n'),
                Arbitraries.bytes());
        // kind 0: unchanged (weighted), 1: replace a byte, 2: delete one, 3: insert one, 4: cut the end off
        Arbitrary<Integer> kind = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(3, 0), net.jqwik.api.Tuple.of(2, 1), net.jqwik.api.Tuple.of(1, 2),
                net.jqwik.api.Tuple.of(2, 3), net.jqwik.api.Tuple.of(1, 4));
        return Combinators.combine(kind, Arbitraries.doubles().between(0, 1), interesting).as(Edit::new);
    }
}
