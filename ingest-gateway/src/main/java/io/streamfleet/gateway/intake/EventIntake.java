package io.streamfleet.gateway.intake;

import io.streamfleet.contracts.Contracts;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.json.ContractReader;
import io.streamfleet.contracts.validation.FieldError;
import io.streamfleet.contracts.validation.Validated;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a request body into per-event results: refuses bodies that break a request-wide limit, and judges every event
 * on its own against the contracts (docs/contracts.md#validation) plus the gateway's own rules (kind, future
 * timestamps). Thread-safe.
 */
public final class EventIntake {

    private static final String KIND = "kind";

    private final IntakeLimits limits;
    private final JsonMapper mapper;
    private final JsonMapper lenient;
    private final ContractReader<OrderEvent> orders;
    private final ContractReader<EngagementEvent> engagement;

    public EventIntake(IntakeLimits limits) {
        this.limits = limits;
        this.lenient = ContractMapper.create(limits.maxJsonDepth(), limits.maxStringLength());
        this.mapper = lenient.rebuild().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        this.orders = Contracts.orderEventReader(mapper);
        this.engagement = Contracts.engagementEventReader(mapper);
    }

    public IntakeLimits limits() {
        return limits;
    }

    /**
     * Reads one request body.
     *
     * @param fixedKind the kind implied by the endpoint, or null when each event names its own
     * @param nowMs     the current wall-clock time, for the future-timestamp rule
     */
    public IntakeOutcome read(byte[] body, BodyFormat format, EventKind fixedKind, long nowMs) {
        if (body.length > limits.maxBodyBytes()) {
            return new IntakeOutcome.Refused(Refusal.BODY_TOO_LARGE,
                    "the body has " + body.length + " bytes, the limit is " + limits.maxBodyBytes());
        }
        if (isBlank(body, 0, body.length)) {
            return new IntakeOutcome.Refused(Refusal.EMPTY_BODY, "send one event, a JSON array or NDJSON lines");
        }
        return format == BodyFormat.NDJSON ? readLines(body, fixedKind, nowMs) : readJson(body, fixedKind, nowMs);
    }

    private IntakeOutcome readJson(byte[] body, EventKind fixedKind, long nowMs) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JacksonException e) {
            return DuplicateProperties.errorOf(e).isPresent() ? readEachElement(body, fixedKind, nowMs) : refusalOf(e);
        }
        if (!root.isArray()) {
            return new IntakeOutcome.Batch(List.of(judge(0, root, fixedKind, nowMs)));
        }
        if (root.isEmpty()) {
            return new IntakeOutcome.Refused(Refusal.EMPTY_BATCH, "the JSON array is empty");
        }
        if (root.size() > limits.maxBatchEvents()) {
            return tooMany(root.size());
        }
        List<IntakeItem> items = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            items.add(judge(i, root.get(i), fixedKind, nowMs));
        }
        return new IntakeOutcome.Batch(items);
    }

    /** A body with a duplicate property somewhere: each element is parsed on its own, so only its event is rejected. */
    private IntakeOutcome readEachElement(byte[] body, EventKind fixedKind, long nowMs) {
        List<int[]> elements;
        try {
            elements = DuplicateProperties.arrayElements(lenient, body).orElse(List.of(new int[] {0, body.length}));
        } catch (JacksonException e) {
            return refusalOf(e);
        }
        if (elements.size() > limits.maxBatchEvents()) {
            return tooMany(elements.size());
        }
        List<IntakeItem> items = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            items.add(judgeSlice(i, body, elements.get(i)[0], elements.get(i)[1], fixedKind, nowMs));
        }
        return new IntakeOutcome.Batch(items);
    }

    private IntakeOutcome readLines(byte[] body, EventKind fixedKind, long nowMs) {
        List<int[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                if (!isBlank(body, start, i)) {
                    if (lines.size() == limits.maxBatchEvents()) {
                        return tooMany(countLines(body));
                    }
                    lines.add(new int[] {start, i});
                }
                start = i + 1;
            }
        }
        List<IntakeItem> items = new ArrayList<>(lines.size());
        for (int index = 0; index < lines.size(); index++) {
            int[] line = lines.get(index);
            items.add(judgeSlice(index, body, line[0], line[1], fixedKind, nowMs));
        }
        return new IntakeOutcome.Batch(items);
    }

    private IntakeItem judgeSlice(int index, byte[] body, int from, int to, EventKind fixedKind, long nowMs) {
        JsonNode node;
        try {
            node = mapper.readTree(body, from, to - from);
        } catch (JacksonException e) {
            var duplicate = DuplicateProperties.errorOf(e);
            if (duplicate.isPresent()) {
                return new IntakeItem.Invalid(index, null, fixedKind, RejectReason.DUPLICATE_FIELD,
                        List.of(duplicate.get()));
            }
            IntakeOutcome.Refused refused = refusalOf(e);
            RejectReason reason = switch (refused.refusal()) {
                case NON_FINITE_NUMBER -> RejectReason.NON_FINITE_NUMBER;
                case TOO_DEEP -> RejectReason.TOO_DEEP;
                case STRING_TOO_LONG, NUMBER_TOO_LONG -> RejectReason.STRING_TOO_LONG;
                default -> RejectReason.MALFORMED_JSON;
            };
            return new IntakeItem.Invalid(index, null, fixedKind, reason, List.of(new FieldError("$", refused.detail())));
        }
        return judge(index, node, fixedKind, nowMs);
    }

    /** Judges one parsed event. */
    IntakeItem judge(int index, JsonNode node, EventKind fixedKind, long nowMs) {
        if (node == null || !node.isObject()) {
            return invalid(index, null, fixedKind, RejectReason.NOT_AN_OBJECT, "$", "an event must be a JSON object");
        }
        String eventId = node.path("eventId").isString() ? node.get("eventId").asString() : null;
        JsonNode kindNode = node.get(KIND);
        EventKind kind = fixedKind;
        if (kindNode != null && !kindNode.isNull()) {
            EventKind named = kindNode.isString() ? EventKind.fromWire(kindNode.asString()).orElse(null) : null;
            if (named == null) {
                return invalid(index, eventId, fixedKind, RejectReason.UNKNOWN_KIND, KIND,
                        "must be 'order' or 'engagement', was " + abbreviate(kindNode.toString()));
            }
            if (fixedKind != null && named != fixedKind) {
                return invalid(index, eventId, fixedKind, RejectReason.KIND_MISMATCH, KIND,
                        "is '" + named.wireName() + "' but this endpoint takes '" + fixedKind.wireName() + "' events");
            }
            kind = named;
        }
        if (kind == null) {
            return invalid(index, eventId, null, RejectReason.MISSING_KIND, KIND,
                    "is required on /v1/events ('order' or 'engagement'); or post to /v1/orders or /v1/engagement");
        }
        return kind == EventKind.ORDER
                ? validOrInvalid(index, eventId, kind, orders.read(node), nowMs)
                : validOrInvalid(index, eventId, kind, engagement.read(node), nowMs);
    }

    private IntakeItem validOrInvalid(int index, String eventId, EventKind kind, Validated<?> validated, long nowMs) {
        if (!validated.isValid()) {
            List<FieldError> errors = validated.errors();
            return new IntakeItem.Invalid(index, eventId, kind, RejectReason.of(errors.get(0)), errors);
        }
        Object event = validated.value();
        String key;
        long eventTimeMs;
        if (event instanceof OrderEvent order) {
            key = order.key();
            eventTimeMs = order.eventTimeMs();
        } else {
            EngagementEvent engagementEvent = (EngagementEvent) event;
            key = engagementEvent.key();
            eventTimeMs = engagementEvent.eventTimeMs();
        }
        if (eventTimeMs > nowMs + limits.maxFutureSkewMs()) {
            return invalid(index, eventId, kind, RejectReason.FUTURE_TIMESTAMP, "eventTimeMs",
                    "is " + (eventTimeMs - nowMs) + " ms in the future; at most " + limits.maxFutureSkewMs()
                            + " ms is allowed");
        }
        return new IntakeItem.Valid(index, eventId, kind, key, ContractMapper.shared().writeValueAsBytes(event),
                eventTimeMs);
    }

    private IntakeOutcome.Refused tooMany(int count) {
        return new IntakeOutcome.Refused(Refusal.BATCH_TOO_LARGE,
                "the request holds " + count + " events, the limit is " + limits.maxBatchEvents());
    }

    private IntakeOutcome.Refused refusalOf(JacksonException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("nesting depth")) {
            return new IntakeOutcome.Refused(Refusal.TOO_DEEP,
                    "JSON nesting deeper than " + limits.maxJsonDepth() + " levels");
        }
        if (message.contains("String value length") || message.contains("Name length")) {
            return new IntakeOutcome.Refused(Refusal.STRING_TOO_LONG,
                    "a JSON string is longer than " + limits.maxStringLength() + " characters");
        }
        if (message.contains("Number value length")) {
            return new IntakeOutcome.Refused(Refusal.NUMBER_TOO_LONG, "a JSON number has too many digits");
        }
        if (message.contains("Non-standard token") || message.contains("NaN") || message.contains("Infinity")) {
            return new IntakeOutcome.Refused(Refusal.NON_FINITE_NUMBER,
                    "NaN and Infinity are not allowed; numbers must be finite JSON numbers");
        }
        var location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return new IntakeOutcome.Refused(Refusal.MALFORMED_JSON, abbreviate(message) + where);
    }

    private static IntakeItem.Invalid invalid(int index, String eventId, EventKind kind, RejectReason reason,
                                              String field, String message) {
        return new IntakeItem.Invalid(index, eventId, kind, reason, List.of(new FieldError(field, message)));
    }

    private static boolean isBlank(byte[] body, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static int countLines(byte[] body) {
        int count = 0;
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                count += isBlank(body, start, i) ? 0 : 1;
                start = i + 1;
            }
        }
        return count;
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
