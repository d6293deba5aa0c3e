package io.streamfleet.gateway.intake;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.json.ContractMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.streamfleet.gateway.intake.Bodies.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The intake's streaming fast path ({@link StreamingEvents}, used by {@link EventIntake#read}) against the tree path
 * alone ({@link EventIntake#readByTree}): for generated bodies of valid and broken events (wrong types, nulls, missing
 * and unknown fields, duplicates, bad kinds, future times, numbers beyond a long or a double, non-objects, arrays,
 * NDJSON, endpoints with a fixed kind) both give the same outcome, item by item, with byte-identical payloads; and
 * the payload of every accepted event decodes to the event that was sent.
 */
class StreamingEventsTest {

    private static final Object MISSING = new Object();
    private static final String[] FIELDS = {"kind", "eventId", "accountId", "symbol", "eventType", "orderId", "side",
            "price", "qty", "eventTimeMs", "userId", "contentId", "dwellMs", "completed", "note"};

    private final EventIntake intake = new EventIntake(IntakeLimits.defaults());

    @Example
    void shouldTakeTheFastPathForPlainOrdersAndEngagement() {
        assertThat(fast(Bodies.order("e-1"), null)).isNotNull();
        assertThat(fast(Bodies.engagement("e-2", "u-1"), null)).isNotNull();
        assertThat(fast(Bodies.order("e-1"), EventKind.ORDER).key()).isEqualTo("acc-1|AAPL");
        // anything it does not recognise is left to the tree path
        assertThat(fast(Bodies.order("e-1"), EventKind.ENGAGEMENT)).isNull();
        assertThat(fast(Bodies.order("e-1").replace("\"qty\":100", "\"qty\":1.5"), null)).isNull();
        assertThat(fast(Bodies.order("e-1").replace("{", "{\"extra\":{\"a\":[1,2]},"), null)).isNull();
    }

    @Example
    void shouldGiveTheSameErrorsAsTheTreePathForABatchWithBadElements() {
        String body = "[" + Bodies.order("e-1") + "," + Bodies.order("e-2").replace("\"qty\":100", "\"qty\":\"x\"")
                + ",5," + Bodies.engagement("e-3", "u-1") + "," + Bodies.order("e-4", "a", "A B", NOW) + "]";
        IntakeOutcome fast = intake.read(Bodies.utf8(body), BodyFormat.JSON, null, NOW);
        assertSame(fast, intake.readByTree(Bodies.utf8(body), BodyFormat.JSON, null, NOW));
        List<IntakeItem> items = ((IntakeOutcome.Batch) fast).items();
        assertThat(items).extracting(item -> item.getClass().getSimpleName())
                .containsExactly("Valid", "Invalid", "Invalid", "Valid", "Invalid");
        assertThat(((IntakeItem.Invalid) items.get(1)).reason()).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(((IntakeItem.Invalid) items.get(2)).reason()).isEqualTo(RejectReason.NOT_AN_OBJECT);
    }

    @Property(tries = 1500)
    void shouldAnswerAsTheTreePathDoes(@ForAll("bodies") Body body) {
        byte[] bytes = Bodies.utf8(body.text());
        IntakeOutcome fast = intake.read(bytes, body.format(), body.fixedKind(), NOW);
        IntakeOutcome tree = intake.readByTree(bytes, body.format(), body.fixedKind(), NOW);
        assertSame(fast, tree);
        if (fast instanceof IntakeOutcome.Batch batch) {
            for (IntakeItem.Valid valid : batch.valid()) {
                Class<?> type = valid.kind() == EventKind.ORDER ? OrderEvent.class : EngagementEvent.class;
                Object decoded = ContractMapper.shared().readValue(valid.payload(), type);
                String key = decoded instanceof OrderEvent order ? order.key() : ((EngagementEvent) decoded).key();
                assertThat(key).isEqualTo(valid.key());
                assertThat(decoded.toString()).contains(valid.eventId());
            }
        }
    }

    private static void assertSame(IntakeOutcome fast, IntakeOutcome tree) {
        assertThat(fast.getClass()).isEqualTo(tree.getClass());
        if (fast instanceof IntakeOutcome.Refused) {
            assertThat(fast).isEqualTo(tree);
            return;
        }
        List<IntakeItem> a = ((IntakeOutcome.Batch) fast).items();
        List<IntakeItem> b = ((IntakeOutcome.Batch) tree).items();
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) instanceof IntakeItem.Valid va && b.get(i) instanceof IntakeItem.Valid vb) {
                assertThat(new Object[] {va.index(), va.eventId(), va.kind(), va.key(), va.eventTimeMs()})
                        .containsExactly(vb.index(), vb.eventId(), vb.kind(), vb.key(), vb.eventTimeMs());
                assertThat(va.payload()).isEqualTo(vb.payload());
            } else {
                assertThat(a.get(i)).isEqualTo(b.get(i));
            }
        }
    }

    private StreamingEvents.Event fast(String event, EventKind fixedKind) {
        try (JsonParser p = ContractMapper.shared().createParser(Bodies.utf8(event))) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            StreamingEvents.Event read = StreamingEvents.read(p, fixedKind, NOW + 300_000);
            assertThat(p.currentToken()).isEqualTo(JsonToken.END_OBJECT);
            return read;
        }
    }

    record Body(String text, BodyFormat format, EventKind fixedKind) {
    }

    @Provide
    Arbitrary<Body> bodies() {
        Arbitrary<String> element = Arbitraries.frequencyOf(
                Tuple.of(12, events()),
                Tuple.of(1, Arbitraries.of("5", "\"x\"", "null", "[1,{\"a\":2}]", "{}", "[]", "true")));
        Arbitrary<List<String>> elements = element.list().ofMinSize(1).ofMaxSize(5);
        Arbitrary<Integer> shape = Arbitraries.integers().between(0, 2);
        Arbitrary<EventKind> fixed = Arbitraries.of(EventKind.ORDER, EventKind.ENGAGEMENT).injectNull(0.6);
        Arbitrary<String> trailer = Arbitraries.of("", "", "", "", " \n", " x", "]", ",{}");
        return Combinators.combine(elements, shape, fixed, trailer).as((list, s, kind, tail) -> switch (s) {
            case 0 -> new Body(list.get(0) + tail, BodyFormat.JSON, kind);
            case 1 -> new Body("[" + String.join(",", list) + "]" + tail, BodyFormat.JSON, kind);
            default -> new Body(String.join("\n", list) + tail, BodyFormat.NDJSON, kind);
        });
    }

    private Arbitrary<String> events() {
        String long129 = "x".repeat(129);
        List<Arbitrary<Object>> values = new ArrayList<>();
        values.add(field(List.of("order", "engagement"), List.of("ORDER", "trade", 1)));
        values.add(field(List.of("e-1", "x".repeat(128), "\uD83D\uDE80\u00e9"), List.of("", long129, 5, true)));
        values.add(field(List.of("acc-1", "a".repeat(64)), List.of("", "a".repeat(65), 1.5)));
        values.add(field(List.of("AAPL", "BRK.B", "x_y-1"), List.of("", "A B", "S".repeat(33), "\u20ac", 7)));
        values.add(field(List.of("CREATED", "CANCELLED", "FILLED", "view_start", "click", "scroll"),
                List.of("created", "OPEN", 1, "VIEW_END")));
        values.add(field(List.of("o-1"), List.of("", long129, 3)));
        values.add(field(List.of("BUY", "SELL"), List.of("buy", 0)));
        values.add(field(List.of(0.01, 187.42, 1, 1e300, 3.0, new BigDecimal("0.1000")),
                List.of(0, -1.5, "1.5", true, new BigDecimal("1e400"), new BigInteger("123456789012345678901234"),
                        Double.MIN_VALUE)));
        values.add(field(List.of(1, 100, Long.MAX_VALUE), List.of(0, -3, 1.5, "10",
                new BigInteger("99999999999999999999"))));
        values.add(field(List.of(0, NOW, NOW + 300_000), List.of(-1, NOW + 300_001, 1.0, "1", Long.MIN_VALUE)));
        values.add(field(List.of("u-1", "u".repeat(64)), List.of("", "u".repeat(65), 2)));
        values.add(field(List.of("c-1", "c".repeat(128)), List.of("", long129, false)));
        values.add(field(List.of(0, 1200, Long.MAX_VALUE), List.of(-1, 1.5, "5")));
        values.add(field(List.of(true, false), List.of("true", 1)));
        values.add(Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.just(MISSING)),
                Tuple.of(1, Arbitraries.of("n", Map.of("a", 1), List.of(1, 2)))));
        Arbitrary<Integer> duplicate = Arbitraries.integers().between(-FIELDS.length * 4, FIELDS.length - 1);
        return Combinators.combine(Combinators.combine(values).as(ArrayList::new), duplicate,
                Arbitraries.of("order", "engagement")).as((chosen, dup, style) -> {
                    Map<String, Object> json = new LinkedHashMap<>();
                    for (int i = 0; i < FIELDS.length; i++) {
                        boolean belongs = style.equals("order") ? i < 10 : i < 5 || i == 9 || i > 9;
                        if (chosen.get(i) != MISSING && (belongs || i == 14)) {
                            json.put(FIELDS[i], chosen.get(i));
                        }
                    }
                    if (style.equals("engagement") && json.get("eventType") instanceof String type
                            && type.equals(type.toUpperCase())) {
                        json.put("eventType", "view_end");
                    }
                    String text = ContractMapper.shared().writeValueAsString(json);
                    if (dup >= 0 && text.length() > 2) {
                        text = "{\"" + FIELDS[dup] + "\":\"dup\"," + text.substring(1);
                    }
                    return text;
                });
    }

    /** Mostly a valid value, sometimes an invalid one, null, or no field at all. */
    private static Arbitrary<Object> field(List<Object> valid, List<Object> invalid) {
        return Arbitraries.frequencyOf(
                Tuple.of(16, Arbitraries.of(valid)),
                Tuple.of(1, Arbitraries.of(invalid)),
                Tuple.of(1, Arbitraries.just(MISSING)),
                Tuple.of(1, Arbitraries.<Object>just(null)));
    }
}
