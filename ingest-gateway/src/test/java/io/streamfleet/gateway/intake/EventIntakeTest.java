package io.streamfleet.gateway.intake;

import io.streamfleet.contracts.Contracts;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.validation.FieldError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.streamfleet.gateway.intake.Bodies.NOW;
import static io.streamfleet.gateway.intake.Bodies.engagement;
import static io.streamfleet.gateway.intake.Bodies.order;
import static io.streamfleet.gateway.intake.Bodies.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class EventIntakeTest {

    private final EventIntake intake = new EventIntake(new IntakeLimits(4096, 3, 4, 256, 300_000));

    private IntakeOutcome json(String body) {
        return intake.read(utf8(body), BodyFormat.JSON, null, NOW);
    }

    private List<IntakeItem> items(IntakeOutcome outcome) {
        assertThat(outcome).isInstanceOf(IntakeOutcome.Batch.class);
        return ((IntakeOutcome.Batch) outcome).items();
    }

    private IntakeItem.Invalid single(String event) {
        List<IntakeItem> items = items(json(event));
        assertThat(items).hasSize(1).first().isInstanceOf(IntakeItem.Invalid.class);
        return (IntakeItem.Invalid) items.get(0);
    }

    private Refusal refusal(IntakeOutcome outcome) {
        assertThat(outcome).isInstanceOf(IntakeOutcome.Refused.class);
        return ((IntakeOutcome.Refused) outcome).refusal();
    }

    @Test
    void shouldKeyOrdersByAccountAndSymbolAndEngagementByUserWhenValid() {
        List<IntakeItem> items = items(json("[" + order("o-1") + "," + engagement("e-1", "u-7") + "]"));
        assertThat(items).allMatch(IntakeItem.Valid.class::isInstance);
        IntakeItem.Valid order = (IntakeItem.Valid) items.get(0);
        IntakeItem.Valid view = (IntakeItem.Valid) items.get(1);
        assertThat(order.key()).isEqualTo("acc-1|AAPL");
        assertThat(order.kind()).isEqualTo(EventKind.ORDER);
        assertThat(view.key()).isEqualTo("u-7");
        assertThat(view.kind()).isEqualTo(EventKind.ENGAGEMENT);
        OrderEvent forwarded = ContractMapper.shared().readValue(order.payload(), OrderEvent.class);
        assertThat(forwarded.eventId()).isEqualTo("o-1");
        assertThat(new String(order.payload())).doesNotContain("kind");
        assertThat(ContractMapper.shared().readValue(view.payload(), EngagementEvent.class).dwellMs()).isEqualTo(1200);
    }

    @Test
    void shouldJudgeEachEventOnItsOwnWhenBatchIsMixed() {
        String bad = order("o-2").replace("187.42", "-1");
        List<IntakeItem> items = items(json("[" + order("o-1") + "," + bad + "," + engagement("e-1", "u") + "]"));
        assertThat(items).extracting(IntakeItem::index).containsExactly(0, 1, 2);
        assertThat(items.get(1)).isInstanceOfSatisfying(IntakeItem.Invalid.class, invalid -> {
            assertThat(invalid.eventId()).isEqualTo("o-2");
            assertThat(invalid.errors()).extracting("field").containsExactly("price");
            assertThat(invalid.reason()).isEqualTo(RejectReason.INVALID_FIELD);
        });
        assertThat(items.get(0)).isInstanceOf(IntakeItem.Valid.class);
        assertThat(items.get(2)).isInstanceOf(IntakeItem.Valid.class);
    }

    @Test
    void shouldRefuseWhenBodyIsEmptyOrBlank() {
        assertThat(refusal(json(""))).isEqualTo(Refusal.EMPTY_BODY);
        assertThat(refusal(intake.read(utf8(" \n\r\n "), BodyFormat.NDJSON, null, NOW))).isEqualTo(Refusal.EMPTY_BODY);
        assertThat(refusal(json("[]"))).isEqualTo(Refusal.EMPTY_BATCH);
    }

    @Test
    void shouldRefuseWhenBodyOrBatchIsTooLarge() {
        assertThat(refusal(intake.read(new byte[4097], BodyFormat.JSON, null, NOW))).isEqualTo(Refusal.BODY_TOO_LARGE);
        String four = "[" + String.join(",", order("a"), order("b"), order("c"), order("d")) + "]";
        assertThat(refusal(json(four))).isEqualTo(Refusal.BATCH_TOO_LARGE);
        String lines = String.join("\n", order("a"), order("b"), order("c"), order("d"));
        IntakeOutcome outcome = intake.read(utf8(lines), BodyFormat.NDJSON, null, NOW);
        assertThat(refusal(outcome)).isEqualTo(Refusal.BATCH_TOO_LARGE);
        assertThat(((IntakeOutcome.Refused) outcome).detail()).contains("4 events");
    }

    @Test
    void shouldRefuseWithSpecificReasonWhenJsonIsBroken() {
        assertThat(refusal(json("{\"eventId\":"))).isEqualTo(Refusal.MALFORMED_JSON);
        assertThat(refusal(json("[" + order("a") + ",]"))).isEqualTo(Refusal.MALFORMED_JSON);
        assertThat(refusal(json(order("a") + " trailing"))).isEqualTo(Refusal.MALFORMED_JSON);
        assertThat(refusal(json(order("a").replace("187.42", "NaN")))).isEqualTo(Refusal.NON_FINITE_NUMBER);
        assertThat(refusal(json(order("a").replace("187.42", "Infinity")))).isEqualTo(Refusal.NON_FINITE_NUMBER);
        assertThat(refusal(json(order("a").replace("187.42", "-Infinity")))).isEqualTo(Refusal.NON_FINITE_NUMBER);
        assertThat(refusal(json("[[[[[1]]]]]"))).isEqualTo(Refusal.TOO_DEEP);
        assertThat(refusal(json(order("a", "a".repeat(300), "AAPL", NOW))))
                .isEqualTo(Refusal.STRING_TOO_LONG);
    }

    @Test
    void shouldRejectEventNamingTheFieldWhenAPropertyAppearsTwice() {
        IntakeItem.Invalid invalid = single(order("x1").replace("\"qty\":100", "\"qty\":100,\"eventId\":\"x2\""));
        assertThat(invalid.reason()).isEqualTo(RejectReason.DUPLICATE_FIELD);
        assertThat(invalid.errors()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("eventId");
            assertThat(error.message()).contains("more than once");
        });
        IntakeItem.Invalid nested = single(order("x1").replace("\"qty\":100", "\"qty\":100,\"meta\":{\"a\":1,\"a\":2}"));
        assertThat(nested.errors()).extracting(FieldError::field).containsExactly("meta.a");
    }

    @Test
    void shouldRejectOnlyThatEventWhenOneEventOfABatchRepeatsAProperty() {
        String twice = order("o-2").replace("\"qty\":100", "\"qty\":100,\"qty\":5");
        List<IntakeItem> items = items(json(" [" + order("o-1") + ",\n" + twice + " , " + engagement("e-1", "u") + "] "));
        assertThat(items).extracting(IntakeItem::index).containsExactly(0, 1, 2);
        assertThat(items.get(0)).isInstanceOf(IntakeItem.Valid.class);
        assertThat(items.get(2)).isInstanceOf(IntakeItem.Valid.class);
        assertThat(((IntakeItem.Valid) items.get(2)).eventId()).isEqualTo("e-1");
        IntakeItem.Invalid invalid = (IntakeItem.Invalid) items.get(1);
        assertThat(invalid.reason()).isEqualTo(RejectReason.DUPLICATE_FIELD);
        assertThat(invalid.errors()).extracting(FieldError::field).containsExactly("qty");

        List<IntakeItem> lines = items(intake.read(utf8(order("a") + "\n" + twice + "\n"), BodyFormat.NDJSON, null, NOW));
        assertThat(lines.get(0)).isInstanceOf(IntakeItem.Valid.class);
        assertThat(((IntakeItem.Invalid) lines.get(1)).reason()).isEqualTo(RejectReason.DUPLICATE_FIELD);
    }

    @Test
    void shouldRefuseWholeBodyWhenABodyWithADuplicateIsAlsoBrokenOrTooLarge() {
        String twice = order("o-2").replace("\"qty\":100", "\"qty\":100,\"qty\":5");
        assertThat(refusal(json("[" + twice + ",]"))).isEqualTo(Refusal.MALFORMED_JSON);
        assertThat(refusal(json("[" + twice + "] trailing"))).isEqualTo(Refusal.MALFORMED_JSON);
        assertThat(refusal(json("[" + twice + "," + twice + "," + twice + "," + twice + "]")))
                .isEqualTo(Refusal.BATCH_TOO_LARGE);
    }

    @Test
    void shouldRejectLineOnlyWhenOneNdjsonLineIsBroken() {
        String body = order("a") + "\n{broken\n\n" + order("c").replace("187.42", "NaN") + "\r\n";
        List<IntakeItem> items = items(intake.read(utf8(body), BodyFormat.NDJSON, null, NOW));
        assertThat(items).extracting(IntakeItem::index).containsExactly(0, 1, 2);
        assertThat(items.get(0)).isInstanceOf(IntakeItem.Valid.class);
        assertThat(((IntakeItem.Invalid) items.get(1)).reason()).isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(((IntakeItem.Invalid) items.get(2)).reason()).isEqualTo(RejectReason.NON_FINITE_NUMBER);
        assertThat(items).hasSize(3);
    }

    @Test
    void shouldRejectWhenKindIsMissingUnknownOrContradictsEndpoint() {
        assertThat(single(order("a").replace("\"kind\":\"order\",", "")).reason()).isEqualTo(RejectReason.MISSING_KIND);
        assertThat(single(order("a").replace("\"order\"", "\"trade\"")).reason()).isEqualTo(RejectReason.UNKNOWN_KIND);
        assertThat(single(order("a").replace("\"order\"", "7")).reason()).isEqualTo(RejectReason.UNKNOWN_KIND);
        IntakeOutcome onEngagement = intake.read(utf8(order("a")), BodyFormat.JSON, EventKind.ENGAGEMENT, NOW);
        assertThat(((IntakeItem.Invalid) items(onEngagement).get(0)).reason()).isEqualTo(RejectReason.KIND_MISMATCH);
        IntakeOutcome withoutKind = intake.read(utf8(order("a").replace("\"kind\":\"order\",", "")), BodyFormat.JSON,
                EventKind.ORDER, NOW);
        assertThat(items(withoutKind).get(0)).isInstanceOf(IntakeItem.Valid.class);
    }

    @Test
    void shouldRejectWithFieldNamesWhenFieldsAreWrong() {
        assertThat(single(order("a").replace("\"symbol\":\"AAPL\",", "")).errors()).extracting("field")
                .containsExactly("symbol");
        assertThat(single(order("a").replace("\"qty\":100", "\"qty\":\"100\"")).reason())
                .isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(single(order("a").replace("\"qty\":100", "\"qty\":1.5")).reason())
                .isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(single(order("a").replace("\"qty\":100", "\"qty\":99999999999999999999999")).reason())
                .isEqualTo(RejectReason.NUMBER_OUT_OF_RANGE);
        assertThat(single(order("a").replace("187.42", "1e999")).reason()).isEqualTo(RejectReason.NUMBER_OUT_OF_RANGE);
        assertThat(single(order("a").replace("CREATED", "OPENED")).reason()).isEqualTo(RejectReason.INVALID_VALUE);
        assertThat(single(order("a").replace("AAPL", "AA PL")).reason()).isEqualTo(RejectReason.INVALID_VALUE);
        assertThat(single(order("a", "x".repeat(65), "AAPL", NOW)).reason()).isEqualTo(RejectReason.FIELD_LENGTH);
        assertThat(single("[1]".substring(1, 2)).reason()).isEqualTo(RejectReason.NOT_AN_OBJECT);
    }

    @Test
    void shouldCountCodePointsWhenFieldsHoldUnicode() {
        String emoji = "\uD83D\uDE80".repeat(64);
        List<IntakeItem> items = items(json(order("a", emoji, "AAPL", NOW)));
        assertThat(items.get(0)).isInstanceOf(IntakeItem.Valid.class);
        assertThat(single(order("a", emoji + "x", "AAPL", NOW)).reason()).isEqualTo(RejectReason.FIELD_LENGTH);
    }

    @Test
    void shouldRejectWhenEventTimeIsTooFarInTheFuture() {
        assertThat(items(json(order("a", "acc", "S", NOW + 300_000))).get(0)).isInstanceOf(IntakeItem.Valid.class);
        IntakeItem.Invalid late = single(order("a", "acc", "S", NOW + 300_001));
        assertThat(late.reason()).isEqualTo(RejectReason.FUTURE_TIMESTAMP);
        assertThat(late.errors()).extracting("field").containsExactly("eventTimeMs");
    }

    @Test
    void shouldForwardOnlyWhatTheContractReaderAcceptsWhenValid() {
        IntakeItem.Valid valid = (IntakeItem.Valid) items(json(order("a") .replace("}", ",\"extra\":{\"x\":1}}")))
                .get(0);
        assertThat(Contracts.orderEventReader().read(valid.payload()).isValid()).isTrue();
        assertThat(new String(valid.payload())).doesNotContain("extra");
    }
}
