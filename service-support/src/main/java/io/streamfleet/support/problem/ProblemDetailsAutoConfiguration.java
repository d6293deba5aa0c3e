package io.streamfleet.support.problem;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One problem-details style in every WebFlux service: registered before Boot's web auto-configuration, so Boot's own
 * exception handler and error handler step back (both are conditional on a missing bean of their kind).
 */
@AutoConfiguration(before = {WebFluxAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(ErrorWebExceptionHandler.class)
public class ProblemDetailsAutoConfiguration {

    @Bean
    ProblemExceptionHandler streamfleetProblemExceptionHandler() {
        return new ProblemExceptionHandler();
    }

    @Bean
    ProblemErrorWebExceptionHandler streamfleetProblemErrorWebExceptionHandler() {
        return new ProblemErrorWebExceptionHandler();
    }

    /** In a service that generates its OpenAPI document, the document states the error format too. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springdoc.core.customizers.OpenApiCustomizer")
    static class ProblemOpenApiConfiguration {

        @Bean
        ProblemOpenApi streamfleetProblemOpenApi() {
            return new ProblemOpenApi();
        }
    }
}
