package io.streamfleet.alerts.problem;

import io.streamfleet.support.problem.ProblemTypes;
import io.streamfleet.support.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;

import java.util.NoSuchElementException;

/** Request errors as fleet problem details (docs/contracts.md#errors) naming what was wrong. */
@RestControllerAdvice
public class ApiErrors {

    @ExceptionHandler(IllegalArgumentException.class)
    public ProblemDetail badRequest(IllegalArgumentException e, ServerWebExchange exchange) {
        return Problems.of(HttpStatus.BAD_REQUEST, ProblemTypes.BAD_REQUEST, "Invalid request", e.getMessage(),
                exchange.getRequest().getPath().value());
    }

    @ExceptionHandler(NoSuchElementException.class)
    public ProblemDetail notFound(NoSuchElementException e, ServerWebExchange exchange) {
        return Problems.of(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", e.getMessage(),
                exchange.getRequest().getPath().value());
    }
}
