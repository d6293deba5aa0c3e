package io.streamfleet.alerts.web;

import io.streamfleet.testkit.web.ProblemAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error of alert-api, the API-key filter's included, is a fleet problem detail (docs/contracts.md#errors).
 */
@AlertApiWebContext
class ProblemDetailsWebTest {

    @Autowired
    WebTestClient client;

    @Test
    void shouldAnswerUnauthenticatedProblemWhenNoKeyIsSent() {
        WebTestClient.ResponseSpec response = client.get().uri("/v1/alerts").exchange();

        response.expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"streamfleet\"");
        var problem = ProblemAssertions.assertProblem(response, 401, "unauthenticated");
        assertThat(problem.path("instance").asString()).isEqualTo("/v1/alerts");
    }

    @Test
    void shouldAnswerForbiddenProblemWhenTheKeyLacksTheScope() {
        var problem = ProblemAssertions.assertProblem(client.get().uri("/v1/webhooks")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + AlertApiWebContext.READER_KEY).exchange(), 403,
                "forbidden");
        assertThat(problem.path("detail").asString()).contains("webhooks:admin");
    }

    @Test
    void shouldAnswerBadRequestProblemNamingTheParameterWhenTheLimitIsOutOfRange() {
        var problem = ProblemAssertions.assertProblem(client.get().uri("/v1/alerts?limit=0")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + AlertApiWebContext.KEY).exchange(), 400,
                "bad-request");
        assertThat(problem.path("detail").asString()).startsWith("limit");
    }

    @Test
    void shouldAnswerBadRequestProblemWhenTheBodyIsNotJson() {
        ProblemAssertions.assertProblem(client.post().uri("/v1/webhooks")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + AlertApiWebContext.KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{not json").exchange(), 400, "bad-request");
    }

    @Test
    void shouldAnswerUnsupportedMediaTypeProblemWhenTheBodyIsNotJson() {
        ProblemAssertions.assertProblem(client.post().uri("/v1/webhooks")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + AlertApiWebContext.KEY)
                .contentType(MediaType.TEXT_PLAIN).bodyValue("url=x").exchange(), 415, "unsupported-media-type");
    }

    @Test
    void shouldAnswerNotFoundProblemWhenTheRouteIsUnknown() {
        ProblemAssertions.assertProblem(client.get().uri("/v1/nowhere").exchange(), 404, "not-found");
    }

    @Test
    void shouldAnswerUnavailableProblemWithRetryAfterWhenTheFeedIsNotReady() {
        WebTestClient.ResponseSpec response = client.get().uri("/v1/alerts/stream")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + AlertApiWebContext.KEY)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange();

        response.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "2");
        ProblemAssertions.assertProblem(response, 503, "unavailable");
    }
}
