package io.streamfleet.testkit.web;

import io.streamfleet.contracts.json.ContractMapper;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The fleet's error shape (docs/contracts.md#errors): {@code application/problem+json}, a URN type, title, status, detail. */
public final class ProblemAssertions {

    public static final String TYPE_PREFIX = "urn:streamfleet:problem:";

    private ProblemAssertions() {
    }

    /** Asserts the response is the problem {@code name} with {@code status}; returns the body for further checks. */
    public static JsonNode assertProblem(WebTestClient.ResponseSpec response, int status, String name) {
        byte[] body = response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(body).as("problem body").isNotNull();
        JsonNode problem = ContractMapper.shared().readTree(body);
        assertThat(problem.path("type").asString()).isEqualTo(TYPE_PREFIX + name);
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asString()).isNotBlank();
        return problem;
    }
}
