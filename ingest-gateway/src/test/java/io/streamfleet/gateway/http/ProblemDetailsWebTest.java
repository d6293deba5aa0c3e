package io.streamfleet.gateway.http;

import io.streamfleet.testkit.web.ProblemAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's errors in a running web context are fleet problem details (docs/contracts.md#errors), the documented
 * members ({@code results}) kept as extension members; an unknown route or method gets the same shape.
 */
@WebFluxTest({EventRoutes.class, OpenApiController.class})
@Import(ApiDocsWebTest.GatewayWeb.class)
class ProblemDetailsWebTest {

    @Autowired
    WebTestClient client;

    @Test
    void shouldAnswerUnauthenticatedProblemWhenNoKeyIsSent() {
        WebTestClient.ResponseSpec response = client.post().uri("/v1/orders")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange();

        response.expectHeader().exists(HttpHeaders.WWW_AUTHENTICATE);
        var problem = ProblemAssertions.assertProblem(response, 401, "unauthenticated");
        assertThat(problem.path("instance").asString()).isEqualTo("/v1/orders");
    }

    @Test
    void shouldAnswerValidationProblemWithResultsWhenNoEventIsValid() {
        var problem = ProblemAssertions.assertProblem(client.post().uri("/v1/orders")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ApiDocsWebTest.WRITER_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"eventId\":\"x\"}").exchange(), 400,
                "validation-failed");
        assertThat(problem.path("results").isArray()).isTrue();
        assertThat(problem.path("results").get(0).path("status").asString()).isEqualTo("rejected");
    }

    @Test
    void shouldAnswerNotFoundProblemWhenTheRouteIsUnknown() {
        ProblemAssertions.assertProblem(client.get().uri("/v1/nowhere").exchange(), 404, "not-found");
    }

    @Test
    void shouldAnswerMethodNotAllowedProblemNamingPostWhenTheMethodIsWrong() {
        for (String path : new String[] {"/v1/orders", "/v1/events/dry-run", "/v1/engagement"}) {
            WebTestClient.ResponseSpec response = client.put().uri(path).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{}").exchange();

            response.expectHeader().valueEquals(HttpHeaders.ALLOW, "POST");
            ProblemAssertions.assertProblem(response, 405, "method-not-allowed");
        }
        ProblemAssertions.assertProblem(client.get().uri("/v1/orders").exchange(), 405, "method-not-allowed");
    }
}
