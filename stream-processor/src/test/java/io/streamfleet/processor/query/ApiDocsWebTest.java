package io.streamfleet.processor.query;

import io.streamfleet.testkit.web.OpenApiCoverage;
import org.junit.jupiter.api.Test;
import org.springdoc.core.configuration.SpringDocConfiguration;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springdoc.webflux.core.configuration.SpringDocWebFluxConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The OpenAPI 3.1 document generated from the query controller: served, and it lists exactly the served routes. */
@WebFluxTest(StatsController.class)
@ImportAutoConfiguration({SpringDocConfiguration.class, SpringDocConfigProperties.class,
        SpringDocWebFluxConfiguration.class})
class ApiDocsWebTest {

    @Autowired
    WebTestClient client;

    @Autowired
    ApplicationContext context;

    @MockitoBean
    StatsQueryService queries;

    @Test
    void shouldDocumentEveryQueryRouteWhenApiDocsAreFetched() {
        byte[] document = client.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(byte[].class).returnResult().getResponseBody();

        OpenApiCoverage.assertDocumentsExactlyTheServedRoutes(document, context);
    }
}
