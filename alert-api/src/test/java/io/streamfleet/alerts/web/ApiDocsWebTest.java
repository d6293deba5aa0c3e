package io.streamfleet.alerts.web;

import io.streamfleet.testkit.web.OpenApiCoverage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI 3.1 document generated from alert-api's controllers: public, and it lists exactly the served routes. */
@AlertApiWebContext
class ApiDocsWebTest {

    /** The document is built on the first request; on a loaded 2-core machine that took over 5 s. */
    static final Duration FIRST_BUILD = Duration.ofSeconds(60);

    @Autowired
    WebTestClient client;

    @Autowired
    ApplicationContext context;

    @Test
    void shouldDocumentEveryRouteWhenApiDocsAreFetchedWithoutAKey() {
        byte[] document = client.mutate().responseTimeout(FIRST_BUILD).build().get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(byte[].class).returnResult().getResponseBody();

        JsonNode doc = OpenApiCoverage.assertDocumentsExactlyTheServedRoutes(document, context);
        OpenApiCoverage.assertEveryOperationDocumentsProblems(doc);
        assertThat(doc.at("/info/title").asString()).isEqualTo("alert-api");
        assertThat(doc.at("/paths/~1v1~1alerts/get/responses/401/content").has("application/problem+json")).isTrue();
        assertThat(doc.at("/components/securitySchemes/apiKey/scheme").asString()).isEqualTo("bearer");
        assertThat(doc.at("/paths/~1v1~1alerts/get/security/0/apiKey/0").asString()).isEqualTo("alerts:read");
        assertThat(doc.at("/paths/~1v1~1webhooks~1{id}/delete/security/0/apiKey/0").asString())
                .isEqualTo("webhooks:admin");
        assertThat(doc.at("/paths/~1console~1config/get/security").isMissingNode()).isTrue();
    }
}
