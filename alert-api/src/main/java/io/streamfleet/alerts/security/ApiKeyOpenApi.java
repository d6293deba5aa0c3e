package io.streamfleet.alerts.security;

import io.streamfleet.support.problem.ProblemOpenApi;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import java.util.List;

/**
 * States in the generated OpenAPI document what {@link ApiKeyWebFilter} enforces: a bearer API key, and per path the
 * scope the filter requires (the same rule, so the document cannot drift from the filter).
 */
public final class ApiKeyOpenApi implements OpenApiCustomizer {

    public static final String SCHEME = "apiKey";

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        openApi.getComponents().addSecuritySchemes(SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").description("An API key (Authorization: Bearer <key>) with the operation's scope; "
                        + "the SSE stream also takes it as the access_token query parameter"));
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> {
            String scope = ApiKeyWebFilter.requiredScope(path);
            if (scope != null) {
                item.readOperations().forEach(operation -> {
                    operation.setSecurity(List.of(new SecurityRequirement().addList(SCHEME, scope)));
                    if (operation.getResponses() != null) {
                        operation.getResponses()
                                .addApiResponse("401", ProblemOpenApi.response("Missing or unknown API key"))
                                .addApiResponse("403", ProblemOpenApi.response("The key lacks the scope " + scope));
                    }
                });
            }
        });
    }
}
