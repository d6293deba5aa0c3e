package io.streamfleet.processor.query;

import io.streamfleet.testkit.web.ProblemAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.when;

/** Every error of the query API is a fleet problem detail (docs/contracts.md#errors). */
@WebFluxTest(StatsController.class)
class ProblemDetailsWebTest {

    @Autowired
    WebTestClient client;

    @MockitoBean
    StatsQueryService queries;

    @Test
    void shouldAnswerBadRequestProblemWhenTheRangeIsInverted() {
        var problem = ProblemAssertions.assertProblem(
                client.get().uri("/v1/stats?key=acc|AAPL&from=10&to=5").exchange(), 400, "bad-request");
        assertThat(problem.path("detail").asString()).contains("from <= to");
        assertThat(problem.path("instance").asString()).isEqualTo("/v1/stats");
    }

    @Test
    void shouldAnswerBadRequestProblemWhenARequiredParameterIsMissing() {
        ProblemAssertions.assertProblem(client.get().uri("/v1/stats").exchange(), 400, "bad-request");
        ProblemAssertions.assertProblem(client.get().uri("/v1/stats/top?n=abc").exchange(), 400, "bad-request");
    }

    @Test
    void shouldAnswerNotFoundProblemWhenTheRouteIsUnknown() {
        ProblemAssertions.assertProblem(client.get().uri("/v1/nope").exchange(), 404, "not-found");
    }

    @Test
    void shouldAnswerMethodNotAllowedProblemWhenTheMethodIsWrong() {
        ProblemAssertions.assertProblem(client.post().uri("/v1/stats/top").exchange(), 405, "method-not-allowed");
    }

    @Test
    void shouldAnswerUnavailableProblemWhenTheStoreIsNotQueryable() {
        when(queries.top(anyInt(), anyLong(), anyBoolean())).thenThrow(
                new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "Kafka Streams is REBALANCING"));

        var problem = ProblemAssertions.assertProblem(client.get().uri("/v1/stats/top").exchange(), 503,
                "unavailable");
        assertThat(problem.path("detail").asString()).isEqualTo("Kafka Streams is REBALANCING");
    }
}
