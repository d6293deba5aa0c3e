package io.streamfleet.processor.query;

import io.streamfleet.testkit.web.OpenApiCoverage;
import org.junit.jupiter.api.Test;
import org.springdoc.core.configuration.SpringDocConfiguration;
import org.springdoc.core.configuration.SpringDocSpecPropertiesConfiguration;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springdoc.webflux.core.configuration.SpringDocWebFluxConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI 3.1 document generated from the query controller: served, and it lists exactly the served routes. */
@WebFluxTest(StatsController.class)
@ImportAutoConfiguration({SpringDocConfiguration.class, SpringDocConfigProperties.class,
        SpringDocSpecPropertiesConfiguration.class, SpringDocWebFluxConfiguration.class})
class ApiDocsWebTest {

    /** The document is built on the first request; on a loaded 2-core machine that took over 5 s. */
    static final Duration FIRST_BUILD = Duration.ofSeconds(60);

    @Autowired
    WebTestClient client;

    @Autowired
    ApplicationContext context;

    @MockitoBean
    StatsQueryService queries;

    @Test
    void shouldDocumentEveryQueryRouteWhenApiDocsAreFetched() {
        byte[] document = client.mutate().responseTimeout(FIRST_BUILD).build().get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(byte[].class).returnResult().getResponseBody();

        JsonNode doc = OpenApiCoverage.assertDocumentsExactlyTheServedRoutes(document, context);
        OpenApiCoverage.assertEveryOperationDocumentsProblems(doc);
        assertThat(doc.at("/info/title").asString()).isEqualTo("stream-processor interactive queries");
    }
}
