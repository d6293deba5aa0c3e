package io.streamfleet.session.query;

import io.streamfleet.testkit.web.ApiDocsContract;
import io.streamfleet.testkit.web.WithSpringDoc;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI 3.1 document generated from the baseline query controller: served, and it lists exactly the served routes. */
@WebFluxTest(BaselineController.class)
@WithSpringDoc
class ApiDocsWebTest {

    @Autowired
    WebTestClient client;

    @Autowired
    ApplicationContext context;

    @MockitoBean
    BaselineQueryService queries;

    @Test
    void shouldDocumentTheBaselineRouteWhenApiDocsAreFetched() {
        JsonNode doc = ApiDocsContract.assertServedRoutesDocumentedWithProblems(client, context);

        assertThat(doc.at("/info/title").asString()).isEqualTo("session-analytics baseline queries");
    }
}
