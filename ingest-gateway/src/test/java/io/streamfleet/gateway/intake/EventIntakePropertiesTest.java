package io.streamfleet.gateway.intake;

import io.streamfleet.contracts.Contracts;
import io.streamfleet.contracts.json.ContractMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.streamfleet.gateway.intake.Bodies.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the intake: arbitrary bodies never make it throw, and a generated order is forwarded exactly when an
 * independent reading of docs/contracts.md says it is valid.
 */
class EventIntakePropertiesTest {

    private static final Object MISSING = new Object();
    private final EventIntake intake = new EventIntake(IntakeLimits.defaults());

    /** A field value and whether docs/contracts.md allows it. */
    record Choice(Object value, boolean valid) {
    }

    @Property(tries = 400)
    void shouldNeverThrowWhenBodyIsArbitraryText(@ForAll("jsonish") String body, @ForAll BodyFormat format) {
        IntakeOutcome outcome = intake.read(Bodies.utf8(body), format, null, NOW);
        if (outcome instanceof IntakeOutcome.Batch batch) {
            assertThat(batch.items()).isNotEmpty();
            batch.valid().forEach(this::assertForwardable);
        }
    }

    @Property(tries = 200)
    void shouldNeverThrowWhenBodyIsArbitraryBytes(@ForAll byte[] body, @ForAll BodyFormat format) {
        IntakeOutcome outcome = intake.read(body, format, null, NOW);
        if (outcome instanceof IntakeOutcome.Batch batch) {
            batch.valid().forEach(this::assertForwardable);
        }
    }

    @Property(tries = 1000)
    void shouldForwardOrderExactlyWhenReferenceSaysValid(@ForAll("orders") Map<String, Choice> order) {
        Map<String, Object> json = new LinkedHashMap<>();
        boolean expectedValid = true;
        for (Map.Entry<String, Choice> field : order.entrySet()) {
            expectedValid &= field.getValue().valid();
            if (field.getValue().value() != MISSING) {
                json.put(field.getKey(), field.getValue().value());
            }
        }
        byte[] body = ContractMapper.shared().writeValueAsBytes(json);
        IntakeOutcome outcome = intake.read(body, BodyFormat.JSON, null, NOW);
        assertThat(outcome).isInstanceOf(IntakeOutcome.Batch.class);
        IntakeItem item = ((IntakeOutcome.Batch) outcome).items().get(0);
        assertThat(item instanceof IntakeItem.Valid).as("forwarded %s", json).isEqualTo(expectedValid);
        if (item instanceof IntakeItem.Valid valid) {
            assertForwardable(valid);
        } else {
            assertThat(((IntakeItem.Invalid) item).errors()).isNotEmpty();
        }
    }

    private void assertForwardable(IntakeItem.Valid valid) {
        var reread = valid.kind() == EventKind.ORDER
                ? Contracts.orderEventReader().read(valid.payload())
                : Contracts.engagementEventReader().read(valid.payload());
        assertThat(reread.isValid()).isTrue();
        assertThat(valid.eventTimeMs()).isLessThanOrEqualTo(NOW + IntakeLimits.defaults().maxFutureSkewMs());
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> tokens = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"kind\"", "\"order\"",
                "\"engagement\"", "\"eventId\"", "\"price\"", "NaN", "Infinity", "-", "1e999", "0", "1.5", "null",
                "true", "\"x\"", "\n", " ", "\"\\u0000\"", "\"\uD83D\uDE80\"", "99999999999999999999999", "\"qty\"");
        Arbitrary<String> fuzz = tokens.list().ofMaxSize(60).map(parts -> String.join("", parts));
        Arbitrary<String> mutatedValid = Combinators.combine(Arbitraries.integers().between(0, 120),
                Arbitraries.integers().between(1, 5), Arbitraries.strings().ofMaxLength(4))
                .as((at, cut, insert) -> {
                    String event = Bodies.order("e-1");
                    int from = Math.min(at, event.length());
                    int to = Math.min(from + cut, event.length());
                    return event.substring(0, from) + insert + event.substring(to);
                });
        return Arbitraries.oneOf(fuzz, mutatedValid, Arbitraries.strings().ofMaxLength(200));
    }

    @Provide
    Arbitrary<Map<String, Choice>> orders() {
        Arbitrary<Choice> kind = choices(List.of("order"), List.of("trade", 1, "ORDER"), true);
        Arbitrary<Choice> eventId = choices(List.of("e-1", "x".repeat(128), "\uD83D\uDE80"),
                List.of("", "x".repeat(129), 5, true), true);
        Arbitrary<Choice> accountId = choices(List.of("acc-1", "a".repeat(64)), List.of("", "a".repeat(65), 1.5), true);
        Arbitrary<Choice> symbol = choices(List.of("AAPL", "BRK.B", "x_y-1"),
                List.of("", "A B", "S".repeat(33), "€", 7), true);
        Arbitrary<Choice> eventType = choices(List.of("CREATED", "CANCELLED", "FILLED"),
                List.of("created", "OPEN", 1), true);
        Arbitrary<Choice> orderId = choices(List.of("o-1"), List.of("", 3), false);
        Arbitrary<Choice> side = choices(List.of("BUY", "SELL"), List.of("buy", 0), false);
        Arbitrary<Choice> price = choices(List.of(0.01, 187.42, 1, 1e300), List.of(0, -1.5, "1.5", true), true);
        Arbitrary<Choice> qty = choices(List.of(1, 100, Long.MAX_VALUE), List.of(0, -3, 1.5, "10"), true);
        Arbitrary<Choice> eventTimeMs = choices(List.of(0, NOW, NOW + 300_000), List.of(-1, NOW + 300_001, 1.0, "1"),
                true);
        return Combinators.combine(List.of(kind, eventId, accountId, symbol, eventType, orderId, side, price, qty,
                eventTimeMs)).as(values -> {
                    String[] names = {"kind", "eventId", "accountId", "symbol", "eventType", "orderId", "side",
                            "price", "qty", "eventTimeMs"};
                    Map<String, Choice> event = new LinkedHashMap<>();
                    for (int i = 0; i < names.length; i++) {
                        event.put(names[i], values.get(i));
                    }
                    return event;
                });
    }

    /** Valid values, invalid values, and absence (invalid when the field is required). */
    private static Arbitrary<Choice> choices(List<Object> valid, List<Object> invalid, boolean required) {
        Arbitrary<Choice> good = Arbitraries.of(valid).map(v -> new Choice(v, true));
        Arbitrary<Choice> bad = Arbitraries.of(invalid).map(v -> new Choice(v, false));
        Arbitrary<Choice> absent = Arbitraries.just(new Choice(MISSING, !required));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, good), net.jqwik.api.Tuple.of(1, bad), net.jqwik.api.Tuple.of(1, absent));
    }
}
