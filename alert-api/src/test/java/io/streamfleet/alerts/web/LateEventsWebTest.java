package io.streamfleet.alerts.web;

import io.streamfleet.alerts.late.board.LateEventBoard;
import io.streamfleet.alerts.late.board.LateRecord;
import io.streamfleet.testkit.web.ProblemAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/late-events} over a real board: the answer's shape, its scope, and a 400 naming each bad parameter. */
@AlertApiWebContext
class LateEventsWebTest {

    @Autowired
    WebTestClient client;

    @Autowired
    LateEventBoard board;

    @Test
    void shouldListKeysMostLateFirstWithTheirFiguresWhenAReaderAsks() {
        long now = System.currentTimeMillis();
        board.record(new LateRecord("orders.late", "stream-processor", "web-acc|AAPL", now - 9_000, 5_000, now));
        board.record(new LateRecord("orders.late", "stream-processor", "web-acc|AAPL", now - 8_000, 4_000, now));
        board.record(new LateRecord("orders.cep.late", "cep-detector", "web-acc|MSFT", now - 7_000, 100, now));

        JsonNode page = get("/v1/late-events?limit=1", AlertApiWebContext.READER_KEY);

        assertThat(page.path("horizonSeconds").asLong()).isEqualTo(900);
        assertThat(page.path("matching").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(page.path("items")).hasSize(1);
        JsonNode top = page.path("items").get(0);
        assertThat(top.path("key").asString()).isEqualTo("web-acc|AAPL");
        assertThat(top.path("topic").asString()).isEqualTo("orders.late");
        assertThat(top.path("stage").asString()).isEqualTo("stream-processor");
        assertThat(top.path("count").asLong()).isEqualTo(2);
        assertThat(top.path("earliestEventTimeMs").asLong()).isEqualTo(now - 9_000);
        assertThat(top.path("latestEventTimeMs").asLong()).isEqualTo(now - 8_000);
        assertThat(top.path("maxBehindMs").asLong()).isEqualTo(5_000);

        JsonNode one = get("/v1/late-events?key={key}", AlertApiWebContext.READER_KEY, "web-acc|MSFT");
        assertThat(one.path("items")).hasSize(1);
        assertThat(one.path("items").get(0).path("topic").asString()).isEqualTo("orders.cep.late");
        assertThat(get("/v1/late-events?topic=engagement.late&key={key}", AlertApiWebContext.KEY, "web-acc|MSFT")
                .path("items")).isEmpty();
        assertThat(get("/v1/late-events?stage=cep-detector&key={key}", AlertApiWebContext.KEY, "web-acc|MSFT")
                .path("items")).hasSize(1);
    }

    @Test
    void shouldAnswerUnauthenticatedProblemWhenNoKeyIsSent() {
        ProblemAssertions.assertProblem(client.get().uri("/v1/late-events").exchange(), 401, "unauthenticated");
    }

    @Test
    void shouldAnswerBadRequestNamingTheParameterWhenItIsInvalid() {
        assertBadRequest("/v1/late-events?limit=0", "limit");
        assertBadRequest("/v1/late-events?limit=1001", "limit");
        assertBadRequest("/v1/late-events?limit=many", "limit");
        assertBadRequest("/v1/late-events?topic=orders.raw", "topic");
        assertBadRequest("/v1/late-events?stage={stage}", "stage", " ");
        assertBadRequest("/v1/late-events?key={key}", "key", " ");
        assertBadRequest("/v1/late-events?key={key}", "key", "k".repeat(257));
    }

    private void assertBadRequest(String uri, String parameter, Object... variables) {
        JsonNode problem = ProblemAssertions.assertProblem(client.get().uri(uri, variables)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + AlertApiWebContext.READER_KEY).exchange(), 400,
                "bad-request");
        assertThat(problem.path("detail").asString()).as(uri).startsWith(parameter + ":");
    }

    private JsonNode get(String uri, String key, Object... variables) {
        byte[] body = client.get().uri(uri, variables).header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange()
                .expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        return JsonMapper.builder().build().readTree(body);
    }
}
