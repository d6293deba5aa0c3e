package io.streamfleet.alerts.web;

import io.streamfleet.testkit.web.OpenApiCoverage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The OpenAPI 3.1 document generated from alert-api's controllers: public, and it lists exactly the served routes. */
@AlertApiWebContext
class ApiDocsWebTest {

    @Autowired
    WebTestClient client;

    @Autowired
    ApplicationContext context;

    @Test
    void shouldDocumentEveryRouteWhenApiDocsAreFetchedWithoutAKey() {
        byte[] document = client.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(byte[].class).returnResult().getResponseBody();

        OpenApiCoverage.assertDocumentsExactlyTheServedRoutes(document, context);
    }
}
