package io.streamfleet.support.problem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Spring's standard web exceptions (400 for unreadable input or a missing parameter, 404, 405, 406, 415, and every
 * {@code ResponseStatusException}) as fleet problem details. Replaces Boot's handler of the same kind.
 */
@ControllerAdvice
public class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

    @Override
    protected Mono<ResponseEntity<Object>> createResponseEntity(Object body, HttpHeaders headers,
                                                                HttpStatusCode status, ServerWebExchange exchange) {
        if (body instanceof ProblemDetail problem) {
            body = Problems.typed(problem, exchange.getRequest().getPath().value());
            // set, not negotiated: the handler's own produces (an SSE stream's text/event-stream) must not apply
            HttpHeaders problemHeaders = new HttpHeaders();
            if (headers != null) {
                problemHeaders.putAll(headers);
            }
            problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            headers = problemHeaders;
        }
        return super.createResponseEntity(body, headers, status, exchange);
    }
}
