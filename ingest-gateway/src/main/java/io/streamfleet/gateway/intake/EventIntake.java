package io.streamfleet.gateway.intake;

import io.streamfleet.contracts.Contracts;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.json.ContractReader;
import io.streamfleet.contracts.validation.FieldError;
import io.streamfleet.contracts.validation.Validated;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
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
        if (format == BodyFormat.NDJSON) {
            return readLines(body, fixedKind, nowMs);
        }
        IntakeOutcome streamed = streamJson(body, fixedKind, nowMs);
        return streamed != null ? streamed : readJson(body, fixedKind, nowMs);
    }

    /**
     * The tree path alone (every element parsed to a tree, shape-checked, bound, validated): what {@link #read} answers
     * for every body, also when the fast path judged some of its elements. Kept for the tests that compare both.
     */
    IntakeOutcome readByTree(byte[] body, BodyFormat format, EventKind fixedKind, long nowMs) {
        if (body.length > limits.maxBodyBytes() || isBlank(body, 0, body.length)) {
            return read(body, format, fixedKind, nowMs);
        }
        if (format == BodyFormat.NDJSON) {
            return readLines(body, fixedKind, nowMs, false);
        }
        return readJson(body, fixedKind, nowMs);
    }

    /**
     * The fast path for a JSON body: one pass over Jackson's token stream; each event object {@link StreamingEvents}
     * recognises as valid becomes its {@link IntakeItem.Valid} at once, and only the other elements are judged by the
     * tree path ({@link #judge}, on a tree of the whole body parsed only then). Null when the body is not a
     * well-formed single object or array within the limits (malformed, a duplicate property, empty, too many
     * events, anything after it): then the tree path reads the whole body, so every refusal and per-element error
     * is exactly the tree path's.
     */
    private IntakeOutcome streamJson(byte[] body, EventKind fixedKind, long nowMs) {
        long latest = nowMs + limits.maxFutureSkewMs();
        List<IntakeItem> items = new ArrayList<>();
        boolean anyLeft = false;
        boolean array;
        try (JsonParser p = mapper.createParser(body)) {
            JsonToken token = p.nextToken();
            array = token == JsonToken.START_ARRAY;
            if (array) {
                token = p.nextToken();
            }
            while (token != null && token != JsonToken.END_ARRAY) {
                if (items.size() == limits.maxBatchEvents()) {
                    return null;
                }
                IntakeItem item = null;
                if (token == JsonToken.START_OBJECT) {
                    StreamingEvents.Event event = StreamingEvents.read(p, fixedKind, latest);
                    item = event == null ? null : valid(items.size(), event);
                } else {
                    p.skipChildren();
                }
                anyLeft |= item == null;
                items.add(item);
                if (!array) {
                    break;
                }
                token = p.nextToken();
            }
            if (token == null || p.nextToken() != null || items.isEmpty()) {
                return null;
            }
        } catch (JacksonException e) {
            return null;
        }
        if (anyLeft) {
            JsonNode root;
            try {
                root = mapper.readTree(body);
            } catch (JacksonException e) {
                return null;
            }
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) == null) {
                    items.set(i, judge(i, array ? root.get(i) : root, fixedKind, nowMs));
                }
            }
        }
        return new IntakeOutcome.Batch(items);
    }

    private static IntakeItem.Valid valid(int index, StreamingEvents.Event event) {
        return new IntakeItem.Valid(index, event.eventId(), event.kind(), event.key(),
                EventJson.bytes(event.event()), event.eventTimeMs());
    }

    /** One NDJSON line by the fast path, or null when the tree path must judge it. */
    private IntakeItem streamLine(int index, byte[] body, int from, int to, EventKind fixedKind, long nowMs) {
        try (JsonParser p = mapper.createParser(body, from, to - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            StreamingEvents.Event event = StreamingEvents.read(p, fixedKind, nowMs + limits.maxFutureSkewMs());
            return event == null || p.nextToken() != null ? null : valid(index, event);
        } catch (JacksonException e) {
            return null;
        }
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
        return readLines(body, fixedKind, nowMs, true);
    }

    private IntakeOutcome readLines(byte[] body, EventKind fixedKind, long nowMs, boolean stream) {
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
            IntakeItem item = stream ? streamLine(index, body, line[0], line[1], fixedKind, nowMs) : null;
            items.add(item != null ? item : judgeSlice(index, body, line[0], line[1], fixedKind, nowMs));
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
        return new IntakeItem.Valid(index, eventId, kind, key, EventJson.bytes(event),
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
