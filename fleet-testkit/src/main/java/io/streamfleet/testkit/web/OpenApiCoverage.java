package io.streamfleet.testkit.web;

import io.streamfleet.contracts.json.ContractMapper;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.util.pattern.PathPattern;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks a service's OpenAPI document against the routes its running application context really serves: every
 * annotated or functional route ({@code "GET /v1/stats"}) is documented and every documented operation is a route,
 * and the document is OpenAPI 3.1. The document's own endpoint (springdoc's) is not an API route.
 */
public final class OpenApiCoverage {

    private OpenApiCoverage() {
    }

    /**
     * {@code "METHOD /path"} of every annotated handler method and every functional route in the context, the OpenAPI
     * endpoints left out.
     */
    public static Set<String> servedRoutes(ApplicationContext context) {
        Set<String> routes = new TreeSet<>();
        for (RouterFunction<?> router : context.getBeansOfType(RouterFunction.class).values()) {
            routes.addAll(routes(router));
        }
        for (RequestMappingHandlerMapping mapping : context.getBeansOfType(RequestMappingHandlerMapping.class)
                .values()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
                if (entry.getValue().getBeanType().getName().startsWith("org.springdoc.")) {
                    continue;
                }
                RequestMappingInfo info = entry.getKey();
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
                    for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                        routes.add(method.name() + " " + pattern.getPatternString());
                    }
                }
            }
        }
        return routes;
    }

    /**
     * {@code "METHOD /path"} of every route of a router function whose predicate names methods and paths (every
     * method with every path); a route that names no method, or negates a part, is a catch-all (such as a 405 for the
     * other methods of a path) and no operation.
     */
    public static Set<String> routes(RouterFunction<?> router) {
        Set<String> routes = new TreeSet<>();
        router.accept(new RouterFunctions.Visitor() {
            @Override
            public void route(RequestPredicate predicate, HandlerFunction<?> handler) {
                RouteParts parts = new RouteParts();
                predicate.accept(parts);
                if (!parts.negated) {
                    parts.methods.forEach(method -> parts.paths.forEach(path -> routes.add(method + " " + path)));
                }
            }

            @Override
            public void startNested(RequestPredicate predicate) {
            }

            @Override
            public void endNested(RequestPredicate predicate) {
            }

            @Override
            public void resources(Function<ServerRequest, Mono<Resource>> lookup) {
            }

            @Override
            public void attributes(Map<String, Object> attributes) {
            }

            @Override
            public void unknown(RouterFunction<?> routerFunction) {
            }
        });
        return routes;
    }

    /** The methods and paths a predicate names; nested predicates (nest) are not followed. */
    private static final class RouteParts implements RequestPredicates.Visitor {
        private final List<String> methods = new ArrayList<>();
        private final List<String> paths = new ArrayList<>();
        private boolean negated;

        @Override
        public void method(Set<HttpMethod> methods) {
            methods.forEach(method -> this.methods.add(method.name()));
        }

        @Override
        public void path(String pattern) {
            paths.add(pattern);
        }

        @Override
        public void startNegate() {
            negated = true;
        }

        @Override
        public void pathExtension(String extension) {
        }

        @Override
        public void header(String name, String value) {
        }

        @Override
        public void queryParam(String name, String value) {
        }

        @Override
        public void version(String version) {
        }

        @Override
        public void startAnd() {
        }

        @Override
        public void and() {
        }

        @Override
        public void endAnd() {
        }

        @Override
        public void startOr() {
        }

        @Override
        public void or() {
        }

        @Override
        public void endOr() {
        }

        @Override
        public void endNegate() {
        }

        @Override
        public void unknown(RequestPredicate predicate) {
        }
    }

    /** Leaves the checked document in the module's {@code target/api-docs.json} for a reader or a client generator. */
    private static void keep(byte[] document) {
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                Files.write(target.resolve("api-docs.json"), document);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write target/api-docs.json", e);
        }
    }

    /** {@code "METHOD /path"} of every operation in an OpenAPI document. */
    public static Set<String> documentedRoutes(JsonNode document) {
        Set<String> routes = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (String method : path.getValue().propertyNames()) {
                if (Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace").contains(method)) {
                    routes.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        return routes;
    }

    /**
     * Asserts the document is OpenAPI 3.1 and lists exactly the context's routes, plus {@code extraDocumented}
     * (routes served by neither an annotated controller nor a router function, such as a WebSocket endpoint).
     */
    public static JsonNode assertDocumentsExactlyTheServedRoutes(byte[] document, ApplicationContext context,
                                                                 String... extraDocumented) {
        JsonNode doc = ContractMapper.shared().readTree(document);
        keep(document);
        assertThat(doc.get("openapi").asString()).as("OpenAPI version").startsWith("3.1");
        Set<String> served = servedRoutes(context);
        served.addAll(Set.of(extraDocumented));
        assertThat(served).as("routes served by the application").isNotEmpty();
        assertThat(documentedRoutes(doc)).as("documented operations = served routes").isEqualTo(served);
        return doc;
    }

    /** Asserts every operation of the document has a response in the fleet's error format. */
    public static void assertEveryOperationDocumentsProblems(JsonNode document) {
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                boolean problem = false;
                for (JsonNode response : operation.getValue().path("responses")) {
                    problem |= response.path("content").has("application/problem+json");
                }
                assertThat(problem).as("%s %s documents a problem response", operation.getKey(), path.getKey())
                        .isTrue();
            }
        }
    }
}
