package io.streamfleet.support.problem;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;

import java.util.List;

/**
 * Adds the fleet's error format to a generated OpenAPI document: a {@code Problem} schema and, on every operation, a
 * {@code default} response of {@code application/problem+json} (docs/contracts.md#errors).
 */
public final class ProblemOpenApi implements OpenApiCustomizer {

    public static final String SCHEMA = "Problem";

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        openApi.getComponents().addSchemas(SCHEMA, schema());
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
            if (operation.getResponses() != null && !operation.getResponses().containsKey("default")) {
                operation.getResponses().addApiResponse("default", response(
                        "An error, as a problem detail with a urn:streamfleet:problem:* type"));
            }
        }));
    }

    /** A response whose body is a fleet problem detail. */
    public static ApiResponse response(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(
                "application/problem+json", new MediaType().schema(new Schema<>().$ref("#/components/schemas/"
                        + SCHEMA))));
    }

    private static Schema<?> schema() {
        Schema<?> schema = new ObjectSchema().description("RFC 9457 problem details; services may add members");
        schema.addProperty("type", new StringSchema().description("urn:streamfleet:problem:<name>")
                .example(ProblemTypes.PREFIX + ProblemTypes.BAD_REQUEST));
        schema.addProperty("title", new StringSchema());
        schema.addProperty("status", new IntegerSchema());
        schema.addProperty("detail", new StringSchema());
        schema.addProperty("instance", new StringSchema().description("the request path"));
        schema.setRequired(List.of("type", "title", "status", "detail"));
        return schema;
    }
}
