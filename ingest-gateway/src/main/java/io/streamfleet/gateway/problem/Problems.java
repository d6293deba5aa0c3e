package io.streamfleet.gateway.problem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 9457 problem details. Types are URNs {@code urn:streamfleet:problem:<slug>}; the slugs are documented in
 * docs/ingest-gateway.md. Bodies are plain maps so the exact JSON is under our control.
 */
public final class Problems {

    public static final String TYPE_PREFIX = "urn:streamfleet:problem:";

    private Problems() {
    }

    /** A problem response; {@code extensions} become top-level members after the standard ones. */
    public static ResponseEntity<Object> response(int status, String slug, String title, String detail,
                                                  String instance, Map<String, Object> extensions,
                                                  HttpHeaders headers) {
        return ResponseEntity.status(status)
                .headers(headers == null ? HttpHeaders.EMPTY : headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body(status, slug, title, detail, instance, extensions));
    }

    public static Map<String, Object> body(int status, String slug, String title, String detail, String instance,
                                           Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + slug);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        if (extensions != null) {
            body.putAll(extensions);
        }
        return body;
    }
}
