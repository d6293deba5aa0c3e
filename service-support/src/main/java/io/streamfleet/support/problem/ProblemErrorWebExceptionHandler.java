package io.streamfleet.support.problem;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The last word on any error no controller advice answered (an unknown route, a filter's failure, an unexpected
 * exception): a fleet problem detail instead of Boot's error page or JSON. A 500 never shows the exception's text.
 */
public final class ProblemErrorWebExceptionHandler implements ErrorWebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorWebExceptionHandler.class);

    @Override
    public int getOrder() {
        return -1;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        String path = exchange.getRequest().getPath().value();
        ProblemDetail problem;
        HttpHeaders headers = null;
        if (error instanceof ErrorResponse response) {
            problem = Problems.typed(copy(response.getBody()), path);
            headers = response.getHeaders();
        } else {
            log.error("unhandled error on {} {}", exchange.getRequest().getMethod(), path, error);
            problem = Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "an unexpected error; it is logged", path);
        }
        return Problems.write(exchange, problem, headers);
    }

    private static ProblemDetail copy(ProblemDetail body) {
        ProblemDetail copy = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(body.getStatus()), body.getDetail());
        copy.setType(body.getType());
        copy.setTitle(body.getTitle());
        copy.setInstance(body.getInstance());
        if (body.getProperties() != null) {
            body.getProperties().forEach(copy::setProperty);
        }
        return copy;
    }
}
