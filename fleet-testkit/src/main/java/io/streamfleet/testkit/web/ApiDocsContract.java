package io.streamfleet.testkit.web;

import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

/**
 * The OpenAPI contract every service's web slice checks: {@code /v3/api-docs} is served as JSON, lists exactly the
 * routes the context serves ({@link OpenApiCoverage}) and, for the services that follow the fleet's error format,
 * documents a problem response on every operation.
 */
public final class ApiDocsContract {

    /** springdoc builds the document on the first request; on a loaded 2-core machine that took over 5 s. */
    public static final Duration FIRST_BUILD = Duration.ofSeconds(60);

    private ApiDocsContract() {
    }

    /** The document as served at {@code /v3/api-docs}, asserting status 200 and a JSON content type. */
    public static byte[] fetch(WebTestClient client) {
        return client.mutate().responseTimeout(FIRST_BUILD).build().get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(byte[].class).returnResult().getResponseBody();
    }

    /** Fetches the document and asserts it covers exactly the served routes, each with a problem response. */
    public static JsonNode assertServedRoutesDocumentedWithProblems(WebTestClient client, ApplicationContext context) {
        JsonNode doc = OpenApiCoverage.assertDocumentsExactlyTheServedRoutes(fetch(client), context);
        OpenApiCoverage.assertEveryOperationDocumentsProblems(doc);
        return doc;
    }
}
