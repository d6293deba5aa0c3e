package io.streamfleet.gateway.http;

import io.streamfleet.contracts.validation.FieldError;
import io.streamfleet.gateway.intake.ItemResult;
import io.streamfleet.gateway.intake.ItemStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON of per-index results, shared by success and problem responses. */
final class ResultViews {

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
        return results.stream().filter(r -> r.status() == status).count();
    }
}
