package io.streamfleet.contracts.json;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.topic.Topics;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderEventReaderTest {

    private static final Deserializer<OrderEvent> CONTRACT = Topics.ORDER_EVENT_SERDE.deserializer();
    private static final String TOPIC = "orders.raw";

    private final LongAdder fallbacks = new LongAdder();
    private final OrderEventReader reader = new OrderEventReader(ContractMapper.shared(), CONTRACT,
            fallbacks::increment);

    @Test
    void shouldReadWhatTheContractSerdeWritesWithoutDatabind() {
        OrderEvent event = new OrderEvent("e-1", "acc-7", "AAPL", OrderEventType.CANCELLED, "o-1", Side.SELL, 187.25,
                300, 1_765_000_000_123L);
        OrderEvent withoutOptionals = new OrderEvent("e-2", "acc", "X.Y-Z_1", OrderEventType.FILLED, null, null, 0.01,
                1, 0);

        assertThat(reader.deserialize(TOPIC, Topics.ORDER_EVENT_SERDE.serializer().serialize(TOPIC, event)))
                .isEqualTo(event);
        assertThat(reader.deserialize(TOPIC, Topics.ORDER_EVENT_SERDE.serializer().serialize(TOPIC,
                withoutOptionals))).isEqualTo(withoutOptionals);
        assertThat(fallbacks.sum()).isZero();
    }

    @Test
    void shouldLeaveMalformedAndCoercedDocumentsToTheContractSerde() {
        List<String> documents = List.of("{\"eventId\":", "[1]", "{\"eventId\":\"a\"} {}", "{\"qty\":1.5}",
                "{\"eventType\":\"created\"}", "{\"eventId\":\"a\",\"eventId\":\"b\"}");
        for (String document : documents) {
            assertThat(outcome(reader, document)).as(document).isEqualTo(outcome(CONTRACT, document));
        }
        assertThat(fallbacks.sum()).isEqualTo(documents.size());
    }

    @Property(tries = 3000)
    void shouldGiveTheContractSerdesEventOrErrorForAnyDocument(@ForAll("documents") String document) {
        long before = fallbacks.sum();
        assertThat(outcome(reader, document)).isEqualTo(outcome(CONTRACT, document));
        Statistics.label("path").collect(fallbacks.sum() == before ? "streaming" : "databind");
        // not vacuous: a good part of the generated documents is answered by the streaming reader itself
        Statistics.label("path").coverage(c -> c.check("streaming").percentage(p -> p > 20));
    }

    @Property(tries = 1500)
    void shouldGiveTheContractSerdesEventOrErrorForAnyCorruptedDocument(@ForAll("documents") String document,
                                                                         @ForAll long seed) {
        String corrupted = corrupt(document, new Random(seed));
        assertThat(outcome(reader, corrupted)).isEqualTo(outcome(CONTRACT, corrupted));
    }

    /** The event, or the exception's type and message: the same for both readers, whichever it is. */
    private static Object outcome(Deserializer<OrderEvent> deserializer, String document) {
        try {
            return deserializer.deserialize(TOPIC, document.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static String corrupt(String document, Random random) {
        StringBuilder s = new StringBuilder(document);
        int at = random.nextInt(s.length() + 1);
        switch (random.nextInt(4)) {
            case 0 -> s.setLength(at);
            case 1 -> s.insert(at, "{}[]\",:0.-eE \\x".charAt(random.nextInt(15)));
            case 2 -> {
                if (at < s.length()) {
                    s.deleteCharAt(at);
                }
            }
            default -> s.append(random.nextBoolean() ? " " : " 1");
        }
        return s.toString();
    }

    /** Half of them orders as a client would send them (any field order, unknown fields), half anything goes. */
    @Provide
    Arbitrary<String> documents() {
        return Arbitraries.oneOf(document(false), document(true));
    }

    private static Arbitrary<String> document(boolean wild) {
        Arbitrary<List<String>> fields = Combinators.combine(List.of(
                field("eventId", text(), wild, true), field("accountId", text(), wild, true),
                field("symbol", text(), wild, true),
                field("eventType", enumName(wild, "CREATED", "CANCELLED", "FILLED"), wild, true),
                field("orderId", text(), wild, false), field("side", enumName(wild, "BUY", "SELL"), wild, false),
                field("price", number(wild), wild, true), field("qty", integer(wild), wild, true),
                field("eventTimeMs", integer(wild), wild, true))).as(perField -> {
                    List<String> all = new ArrayList<>();
                    perField.forEach(all::addAll);
                    return all;
                });
        return Combinators.combine(fields, unknownFields(), Arbitraries.randoms(), Arbitraries.of(" ", "", "\n "))
                .as((known, unknown, random, space) -> {
                    List<String> all = new ArrayList<>(known);
                    all.addAll(unknown);
                    if (random.nextInt(3) == 0) {
                        Collections.shuffle(all, random);
                    }
                    return "{" + space + String.join("," + space, all) + space + "}";
                });
    }

    /**
     * Tame: a required field once with a value of its type; an optional one absent, null or such a value. Wild: also
     * absent or twice, with a value of any JSON type.
     */
    private static Arbitrary<List<String>> field(String name, Arbitrary<String> value, boolean wild,
                                                 boolean required) {
        Arbitrary<String> any = !wild ? value : Arbitraries.frequencyOf(
                Tuple.of(8, value),
                Tuple.of(1, Arbitraries.of("null", "true", "{}", "[]", "{\"a\":[1,{\"b\":null}]}",
                        "\"\"", "12", "1.5", "\"12\"", "-0", "1e2")));
        Arbitrary<String> one = any.map(v -> "\"" + name + "\":" + v);
        if (!wild) {
            return required ? one.map(List::of) : Arbitraries.oneOf(one.map(List::of),
                    Arbitraries.just(List.of()), Arbitraries.just(List.of("\"" + name + "\":null")));
        }
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(List.<String>of())),
                Tuple.of(12, one.map(List::of)),
                Tuple.of(1, one.list().ofSize(2)));
    }

    private static Arbitrary<List<String>> unknownFields() {
        Arbitrary<String> one = Combinators.combine(Arbitraries.of("key", "extra", "EventId", "price ", "nested"),
                        Arbitraries.of("1", "\"x\"", "null", "[1,2,{\"a\":\"b\"}]", "{\"eventId\":\"inner\"}"))
                .as((name, value) -> "\"" + name + "\":" + value);
        return one.list().ofMaxSize(2).injectDuplicates(0.1);
    }

    private static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().withChars("._-|").ofMinLength(0).ofMaxLength(20),
                Arbitraries.strings().all().ofMaxLength(6))
                .map(OrderEventReaderTest::jsonString);
    }

    private static Arbitrary<String> enumName(boolean wild, String... names) {
        List<String> variants = new ArrayList<>();
        for (String name : names) {
            variants.add(name);
            variants.add(name.toLowerCase());
        }
        variants.addAll(List.of("", "0", "1", "5", " " + names[0], "UNKNOWN"));
        return (wild ? Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(names)), Tuple.of(1, Arbitraries.of(variants)))
                : Arbitraries.of(names)).map(OrderEventReaderTest::jsonString);
    }

    private static Arbitrary<String> number(boolean wild) {
        Arbitrary<String> tame = Arbitraries.oneOf(
                Arbitraries.doubles().between(0.0001, 1e9).ofScale(6).map(d -> Double.toString(d)),
                Arbitraries.integers().between(1, 100_000).map(i -> Integer.toString(i)),
                Arbitraries.of("0.1", "1E3", "2e-2", "0.30000000000000004", "100.10", "1e-400", "1e400"));
        return !wild ? tame : Arbitraries.oneOf(tame,
                Arbitraries.doubles().between(-1e6, 1e9).ofScale(8).map(d -> Double.toString(d)),
                Arbitraries.doubles().map(d -> Double.toString(d)).filter(s -> !s.contains("N") && !s.contains("I")),
                integer(true),
                Arbitraries.of("0.1", "1E3", "2e-2", "1e400", "-1e-400", "123456789012345678901234567890",
                        "0.30000000000000004", "100.10", "-0.0"));
    }

    private static Arbitrary<String> integer(boolean wild) {
        Arbitrary<String> tame = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 2_000_000_000_000L).map(l -> Long.toString(l)),
                Arbitraries.of("9223372036854775807", "-9223372036854775808", "0", "-0", "1"));
        return !wild ? tame : Arbitraries.oneOf(tame,
                Arbitraries.longs().map(l -> Long.toString(l)),
                Arbitraries.longs().between(0, 2_000_000_000_000L).map(l -> Long.toString(l)),
                Arbitraries.of("9223372036854775807", "9223372036854775808", "-9223372036854775809",
                        "123456789012345678901234567890", "0", "-0", "1.0", "1e3", "01"));
    }

    private static String jsonString(String raw) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : raw.toCharArray()) {
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.append('"').toString();
    }

    // odd and bad shapes as cep-detector meets them on orders.clean (its reader was merged into this one)
    @Test
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
            Throwable expected = catchThrowable(() -> CONTRACT.deserialize("orders.clean", json));
            if (expected == null) {
                assertThat(reader.deserialize("orders.clean", json)).as(input)
                        .isEqualTo(CONTRACT.deserialize("orders.clean", json));
            } else {
                assertThatThrownBy(() -> reader.deserialize("orders.clean", json)).as(input)
                        .isInstanceOf(expected.getClass()).hasMessage(expected.getMessage());
            }
        }
    }

    @Test
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
            Throwable expected = catchThrowable(() -> CONTRACT.deserialize("orders.clean", json));
            assertThat(expected).as(input).isInstanceOf(SerializationException.class);
            assertThatThrownBy(() -> reader.deserialize("orders.clean", json)).as(input)
                    .isInstanceOf(SerializationException.class).hasMessage(expected.getMessage());
        }
    }

}
