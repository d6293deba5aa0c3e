package io.streamfleet.gateway.http;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.gateway.intake.EventIntake;
import io.streamfleet.gateway.intake.IntakeLimits;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import io.streamfleet.gateway.publishing.IngestService;
import io.streamfleet.gateway.publishing.RecordingSink;
import io.streamfleet.gateway.publishing.RetryAfterPolicy;
import io.streamfleet.testkit.web.OpenApiCoverage;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document: served at its documented URL, complete for the event routes, refs all resolve. */
class OpenApiControllerWebTest {

    private final IntakeLimits limits = new IntakeLimits(4096, 7, 8, 512, 300_000);
    private final GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry());
    private final IngestService service = new IngestService(new EventIntake(limits), new RecordingSink(), metrics,
            new RetryAfterPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1)), Clock.systemUTC());
    private final WebTestClient client = WebTestClient.bindToController(new OpenApiController(service)).build();

    private JsonNode document() {
        byte[] body = client.get().uri("/v1/openapi.json").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(byte[].class).returnResult().getResponseBody();
        return ContractMapper.shared().readTree(body);
    }

    @Test
    void shouldDescribeEveryIngestRouteWhenDocumentIsServed() {
        JsonNode doc = document();

        assertThat(doc.get("openapi").asString()).startsWith("3.1");
        Set<String> routes = OpenApiCoverage.routes(new EventRoutes(service, null, metrics));
        assertThat(routes).containsExactlyInAnyOrder("POST /v1/events", "POST /v1/orders", "POST /v1/engagement",
                "POST /v1/events/dry-run", "POST /v1/orders/dry-run", "POST /v1/engagement/dry-run");
        for (String route : routes.stream().map(route -> route.substring("POST ".length())).toList()) {
            JsonNode responses = doc.get("paths").get(route).get("post").get("responses");
            assertThat(responses.has("$ref")).as("%s responses are inlined", route).isFalse();
            assertThat(responses.propertyNames()).contains(route.endsWith("/dry-run") ? "200" : "202", "207", "400",
                    "401", "403", "413", "415", "429", "503");
            assertThat(responses.get("503").get("headers").has("Retry-After")).isTrue();
        }
        assertThat(doc.get("paths").has("/v1/events/ws")).isTrue();
        assertThat(doc.get("paths").has("/v1/events/ws/dry-run")).isTrue();
        assertThat(doc.get("x-streamfleet-limits").get("maxBatchEvents").asInt()).isEqualTo(7);
        assertThat(doc.get("x-streamfleet-limits").get("maxBodyBytes").asInt()).isEqualTo(4096);
    }

    @Test
    void shouldEmbedTheSharedEventSchemasAndResolveEveryRefWhenBuilt() throws Exception {
        JsonNode doc = document();

        try (InputStream order = getClass().getClassLoader().getResourceAsStream("schemas/order-event.schema.json");
             InputStream engagement = getClass().getClassLoader()
                     .getResourceAsStream("schemas/engagement-event.schema.json")) {
            assertThat(doc.get("components").get("schemas").get("OrderEvent"))
                    .isEqualTo(ContractMapper.shared().readTree(order));
            assertThat(doc.get("components").get("schemas").get("EngagementEvent"))
                    .isEqualTo(ContractMapper.shared().readTree(engagement));
        }
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty().allSatisfy(ref -> {
            assertThat(ref).startsWith("#/");
            JsonNode target = doc;
            for (String part : ref.substring(2).split("/")) {
                target = target.get(part);
                assertThat(target).as("target of %s", ref).isNotNull();
            }
        });
        assertThat(doc.get("components").has("x-ingest-responses")).isFalse();
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            for (var entry : node.properties()) {
                if (entry.getKey().equals("$ref")) {
                    refs.add(entry.getValue().asString());
                } else {
                    collectRefs(entry.getValue(), refs);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }
}
