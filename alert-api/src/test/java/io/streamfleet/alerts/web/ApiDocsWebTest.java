package io.streamfleet.alerts.web;

import io.streamfleet.testkit.web.ApiDocsContract;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI 3.1 document generated from alert-api's controllers: public, and it lists exactly the served routes. */
@AlertApiWebContext
class ApiDocsWebTest {

    @Autowired
    WebTestClient client;

    @Autowired
    ApplicationContext context;

    @Test
    void shouldDocumentEveryRouteWhenApiDocsAreFetchedWithoutAKey() {
        JsonNode doc = ApiDocsContract.assertServedRoutesDocumentedWithProblems(client, context);

        assertThat(doc.at("/info/title").asString()).isEqualTo("alert-api");
        assertThat(doc.at("/paths/~1v1~1alerts/get/responses/401/content").has("application/problem+json")).isTrue();
        assertThat(doc.at("/components/securitySchemes/apiKey/scheme").asString()).isEqualTo("bearer");
        assertThat(doc.at("/paths/~1v1~1alerts/get/security/0/apiKey/0").asString()).isEqualTo("alerts:read");
        assertThat(doc.at("/paths/~1v1~1webhooks~1{id}/delete/security/0/apiKey/0").asString())
                .isEqualTo("webhooks:admin");
        assertThat(doc.at("/paths/~1console~1config/get/security").isMissingNode()).isTrue();
        assertThat(doc.at("/paths/~1v1~1late-events/get/security/0/apiKey/0").asString()).isEqualTo("alerts:read");
        assertThat(doc.at("/paths/~1v1~1late-events/get/responses/default/content").has("application/problem+json"))
                .isTrue();
    }
}
