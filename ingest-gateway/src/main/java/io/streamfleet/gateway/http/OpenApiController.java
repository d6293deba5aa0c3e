package io.streamfleet.gateway.http;

import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.gateway.intake.IntakeLimits;
import io.streamfleet.gateway.publishing.IngestService;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/openapi.json} (and {@code GET /v3/api-docs}, the URL of every service's document): the gateway's
 * OpenAPI 3.1 document, built once at start-up from a hand-written
 * description of the endpoints plus the shared-contracts JSON Schemas of the events (so the event rules are never
 * restated here) and the limits this instance enforces. Public: it holds no secret.
 */
@RestController
public class OpenApiController {

    public static final String PATH = "/v1/openapi.json";
    /** Where every StreamFleet service serves its OpenAPI document (the others generate it with springdoc). */
    public static final String FLEET_PATH = "/v3/api-docs";
    /** Shared response sets ({@code x-ingest-responses}, {@code x-dry-run-responses}) end so. */
    private static final String SHARED_RESPONSES_SUFFIX = "-responses";
    private static final Map<String, String> EVENT_SCHEMAS = Map.of(
            "OrderEvent", "schemas/order-event.schema.json",
            "EngagementEvent", "schemas/engagement-event.schema.json");

    private final byte[] document;

    public OpenApiController(IngestService service) {
        this.document = ContractMapper.shared().writeValueAsBytes(build(service.intake().limits()));
    }

    @GetMapping(value = {PATH, FLEET_PATH}, produces = MediaType.APPLICATION_JSON_VALUE)
    public byte[] openApi() {
        return document;
    }

    static ObjectNode build(IntakeLimits limits) {
        ObjectNode doc = (ObjectNode) read("openapi/ingest-gateway.openapi.json");
        ObjectNode components = (ObjectNode) doc.get("components");
        ObjectNode schemas = (ObjectNode) components.get("schemas");
        EVENT_SCHEMAS.forEach((name, resource) -> schemas.set(name, read(resource)));
        Map<String, JsonNode> shared = new java.util.HashMap<>();
        for (String name : List.copyOf(components.propertyNames())) {
            if (name.startsWith("x-") && name.endsWith(SHARED_RESPONSES_SUFFIX)) {
                shared.put("#/components/" + name, components.remove(name));
            }
        }
        // a Responses object cannot be a $ref in OpenAPI, so each shared set is copied into its operations
        for (JsonNode path : doc.get("paths")) {
            for (JsonNode operation : path) {
                JsonNode responses = operation.get("responses");
                if (responses != null && responses.has("$ref") && shared.containsKey(responses.get("$ref").asString())) {
                    ((ObjectNode) operation).set("responses", shared.get(responses.get("$ref").asString()).deepCopy());
                }
            }
        }
        ObjectNode limitsNode = doc.putObject("x-streamfleet-limits");
        limitsNode.put("maxBodyBytes", limits.maxBodyBytes());
        limitsNode.put("maxBatchEvents", limits.maxBatchEvents());
        limitsNode.put("maxJsonDepth", limits.maxJsonDepth());
        limitsNode.put("maxStringLength", limits.maxStringLength());
        limitsNode.put("maxFutureSkewMs", limits.maxFutureSkewMs());
        return doc;
    }

    private static JsonNode read(String resource) {
        try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + resource);
            }
            return ContractMapper.shared().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
