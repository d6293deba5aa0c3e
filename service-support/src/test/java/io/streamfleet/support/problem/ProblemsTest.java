package io.streamfleet.support.problem;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fleet's problem rule: URN types, the shared names per status, extension members at the top level. */
class ProblemsTest {

    @Test
    void shouldBuildAFleetProblemWhenGivenANameAndDetail() {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "validation-failed", "No event is valid",
                "eventId: required", "/v1/orders");

        assertThat(problem.getType()).isEqualTo(URI.create("urn:streamfleet:problem:validation-failed"));
        assertThat(problem.getStatus()).isEqualTo(400);
        assertThat(problem.getInstance()).isEqualTo(URI.create("/v1/orders"));
    }

    @Test
    void shouldRejectANameThatIsNotKebabCaseWhenBuildingAType() {
        assertThatThrownBy(() -> ProblemTypes.type("Not Found")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProblemTypes.type("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNameAFrameworkProblemAfterItsStatusWhenItsTypeIsAboutBlank() {
        ProblemDetail framework = ProblemDetail.forStatus(HttpStatus.METHOD_NOT_ALLOWED);

        ProblemDetail typed = Problems.typed(framework, "/v1/stats");

        assertThat(typed.getType()).isEqualTo(URI.create("urn:streamfleet:problem:method-not-allowed"));
        assertThat(typed.getTitle()).isEqualTo("Method Not Allowed");
        assertThat(typed.getDetail()).isNotBlank();
        assertThat(typed.getInstance()).isEqualTo(URI.create("/v1/stats"));
        assertThat(ProblemTypes.nameFor(HttpStatus.I_AM_A_TEAPOT)).isEqualTo(ProblemTypes.BAD_REQUEST);
        assertThat(ProblemTypes.nameFor(HttpStatus.BAD_GATEWAY)).isEqualTo(ProblemTypes.INTERNAL_ERROR);
    }

    @Test
    void shouldKeepAFleetTypeWhenTypingAgain() {
        ProblemDetail own = Problems.of(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed JSON", "x", null);

        assertThat(Problems.typed(own, "/p").getType()).isEqualTo(URI.create("urn:streamfleet:problem:malformed-json"));
    }

    @Test
    void shouldWriteExtensionMembersAfterTheStandardOnesWhenSerialised() {
        ProblemDetail problem = Problems.of(HttpStatus.PAYLOAD_TOO_LARGE, "body-too-large", "Request body too large",
                "over 1024 bytes", "/v1/events");
        problem.setProperty("maxBytes", 1024);

        assertThat(List.copyOf(Problems.members(problem).keySet()))
                .containsExactly("type", "title", "status", "detail", "instance", "maxBytes");
        assertThat(new String(Problems.json(problem)))
                .contains("\"type\":\"urn:streamfleet:problem:body-too-large\"").contains("\"maxBytes\":1024");
    }
}
