package io.streamfleet.session.query;

import io.streamfleet.testkit.web.ProblemAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;

/** Every error of the baseline query API is a fleet problem detail (docs/contracts.md#errors). */
@WebFluxTest(BaselineController.class)
class ProblemDetailsWebTest {

    @Autowired
    WebTestClient client;

    @MockitoBean
    BaselineQueryService queries;

    @Test
    void shouldAnswerBadRequestProblemWhenTheUserIdIsTooLong() {
        var problem = ProblemAssertions.assertProblem(
                client.get().uri("/v1/users/{id}/baseline", "u".repeat(65)).exchange(), 400, "bad-request");
        assertThat(problem.path("detail").asString()).contains("userId");
    }

    @Test
    void shouldAnswerNotFoundProblemNamingTheUserWhenItHasNoBaseline() {
        when(queries.baseline(eq("u-new"), anyBoolean())).thenReturn(Mono.empty());

        var problem = ProblemAssertions.assertProblem(
                client.get().uri("/v1/users/u-new/baseline").exchange(), 404, "not-found");
        assertThat(problem.path("detail").asString()).contains("u-new");
        assertThat(problem.path("instance").asString()).isEqualTo("/v1/users/u-new/baseline");
    }

    @Test
    void shouldAnswerNotFoundProblemWhenTheRouteIsUnknown() {
        ProblemAssertions.assertProblem(client.get().uri("/v1/users").exchange(), 404, "not-found");
    }

    @Test
    void shouldAnswerMethodNotAllowedProblemWhenTheMethodIsWrong() {
        ProblemAssertions.assertProblem(client.delete().uri("/v1/users/u-1/baseline").exchange(), 405,
                "method-not-allowed");
    }
}
