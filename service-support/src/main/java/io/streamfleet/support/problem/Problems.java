package io.streamfleet.support.problem;

import io.streamfleet.contracts.json.ContractMapper;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds and writes the fleet's RFC 9457 problem details ({@link ProblemDetail}, {@code application/problem+json},
 * type {@code urn:streamfleet:problem:<name>}). Controllers, exception handlers and security filters all go through
 * here, so every error of every service has one shape.
 */
public final class Problems {

    private static final URI ABOUT_BLANK = URI.create("about:blank");

    private Problems() {
    }

    /** A problem with a fleet type; {@code instance} (the request path) may be null. */
    public static ProblemDetail of(HttpStatusCode status, String name, String title, String detail, String instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(ProblemTypes.type(name));
        problem.setTitle(title);
        if (instance != null) {
            problem.setInstance(URI.create(instance));
        }
        return problem;
    }

    /** A problem named after its status ({@link ProblemTypes#nameFor}), titled with the reason phrase. */
    public static ProblemDetail of(HttpStatusCode status, String detail, String instance) {
        return of(status, ProblemTypes.nameFor(status), ProblemTypes.reason(status), detail, instance);
    }

    /** An exception a controller throws to answer with this problem (and headers such as Retry-After). */
    public static ErrorResponseException exception(ProblemDetail problem, HttpHeaders headers) {
        ErrorResponseException exception = new ErrorResponseException(HttpStatusCode.valueOf(problem.getStatus()),
                problem, null);
        if (headers != null) {
            exception.getHeaders().putAll(headers);
        }
        return exception;
    }

    /**
     * Gives a framework-made problem (type {@code about:blank}) the fleet type of its status, a title and the request
     * path as instance; a problem that already has a fleet type keeps it.
     */
    public static ProblemDetail typed(ProblemDetail problem, String path) {
        HttpStatusCode status = HttpStatusCode.valueOf(problem.getStatus());
        if (problem.getType() == null || ABOUT_BLANK.equals(problem.getType())) {
            problem.setType(ProblemTypes.type(ProblemTypes.nameFor(status)));
        }
        if (problem.getTitle() == null) {
            problem.setTitle(ProblemTypes.reason(status));
        }
        if (problem.getDetail() == null) {
            problem.setDetail(ProblemTypes.reason(status));
        }
        if (problem.getInstance() == null && path != null) {
            problem.setInstance(URI.create(path));
        }
        return problem;
    }

    /** The JSON members of a problem: the standard ones, then the extension members at the top level. */
    public static Map<String, Object> members(ProblemDetail problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            body.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return body;
    }

    public static byte[] json(ProblemDetail problem) {
        return ContractMapper.shared().writeValueAsBytes(members(problem));
    }

    /** Writes a problem as the whole response (for filters and the error handler, outside any controller). */
    public static Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem, HttpHeaders headers) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
        if (headers != null) {
            response.getHeaders().putAll(headers);
        }
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(json(problem))));
    }
}
