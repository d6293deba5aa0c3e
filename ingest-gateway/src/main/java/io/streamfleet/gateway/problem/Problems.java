package io.streamfleet.gateway.problem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import java.util.Map;

/**
 * The gateway's problem responses: fleet problem details ({@link io.streamfleet.support.problem.Problems}) with the
 * gateway's own names, documented in docs/ingest-gateway.md. Documented extra fields ({@code results},
 * {@code maxBytes}) are extension members at the top level of the body.
 */
public final class Problems {

    public static final String TYPE_PREFIX = io.streamfleet.support.problem.ProblemTypes.PREFIX;

    private Problems() {
    }

    /** A problem response; {@code extensions} become top-level members after the standard ones. */
    public static ResponseEntity<Object> response(int status, String slug, String title, String detail,
                                                  String instance, Map<String, Object> extensions,
                                                  HttpHeaders headers) {
        return ResponseEntity.status(status)
                .headers(headers == null ? HttpHeaders.EMPTY : headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(status, slug, title, detail, instance, extensions));
    }

    public static ProblemDetail problem(int status, String slug, String title, String detail, String instance,
                                        Map<String, Object> extensions) {
        ProblemDetail problem = io.streamfleet.support.problem.Problems.of(HttpStatusCode.valueOf(status), slug,
                title, detail, instance);
        if (extensions != null) {
            extensions.forEach(problem::setProperty);
        }
        return problem;
    }
}
