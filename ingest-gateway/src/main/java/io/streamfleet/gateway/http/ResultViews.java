package io.streamfleet.gateway.http;

import io.streamfleet.contracts.validation.FieldError;
import io.streamfleet.gateway.intake.ItemResult;
import io.streamfleet.gateway.intake.ItemStatus;

import io.streamfleet.contracts.json.ContractMapper;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON of per-index results, shared by success and problem responses. */
final class ResultViews {

    // written once per accepted event: names and the status value pre-encoded (same bytes as writing the strings)
    private static final SerializedString INDEX = new SerializedString("index");
    private static final SerializedString EVENT_ID = new SerializedString("eventId");
    private static final SerializedString STATUS = new SerializedString("status");
    private static final SerializedString ACCEPTED = new SerializedString(ItemStatus.ACCEPTED.wireName());
    private static final SerializedString TOPIC = new SerializedString("topic");
    private static final SerializedString PARTITION = new SerializedString("partition");
    private static final SerializedString OFFSET = new SerializedString("offset");

    private ResultViews() {
    }

    static Map<String, Object> summary(List<ItemResult> results) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", count(results, ItemStatus.ACCEPTED));
        body.put("rejected", count(results, ItemStatus.REJECTED));
        body.put("unavailable", count(results, ItemStatus.UNAVAILABLE));
        body.put("results", results.stream().map(ResultViews::view).toList());
        return body;
    }

    /**
     * The same document as {@link #summary}, written straight to bytes: the hot path of every 2xx answer skips the
     * map, the codec look-up and the encoder's type introspection.
     */
    static byte[] summaryJson(List<ItemResult> results) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + 128 * results.size());
        try (JsonGenerator json = ContractMapper.shared().createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberProperty("accepted", count(results, ItemStatus.ACCEPTED));
            json.writeNumberProperty("rejected", count(results, ItemStatus.REJECTED));
            json.writeNumberProperty("unavailable", count(results, ItemStatus.UNAVAILABLE));
            json.writeArrayPropertyStart("results");
            for (ItemResult result : results) {
                write(json, result);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator json, ItemResult result) {
        json.writeStartObject();
        json.writeName(INDEX);
        json.writeNumber(result.index());
        json.writeName(EVENT_ID);
        json.writeString(result.eventId());
        json.writeName(STATUS);
        if (result.status() == ItemStatus.ACCEPTED) {
            json.writeString(ACCEPTED);
            json.writeName(TOPIC);
            json.writeString(result.topic());
            json.writeName(PARTITION);
            json.writeNumber(result.partition());
            json.writeName(OFFSET);
            json.writeNumber(result.offset());
        } else {
            json.writeString(result.status().wireName());
            json.writeStringProperty("reason", result.reason());
            json.writeArrayPropertyStart("errors");
            for (FieldError error : result.errors()) {
                json.writeStartObject();
                json.writeStringProperty("field", error.field());
                json.writeStringProperty("message", error.message());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    static Map<String, Object> view(ItemResult result) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("index", result.index());
        view.put("eventId", result.eventId());
        view.put("status", result.status().wireName());
        if (result.status() == ItemStatus.ACCEPTED) {
            view.put("topic", result.topic());
            view.put("partition", result.partition());
            view.put("offset", result.offset());
        } else {
            view.put("reason", result.reason());
            view.put("errors", result.errors().stream().map(ResultViews::error).toList());
        }
        return view;
    }

    private static Map<String, Object> error(FieldError error) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("field", error.field());
        view.put("message", error.message());
        return view;
    }

    private static long count(List<ItemResult> results, ItemStatus status) {
        long n = 0;
        for (ItemResult result : results) {
            n += result.status() == status ? 1 : 0;
        }
        return n;
    }
}
