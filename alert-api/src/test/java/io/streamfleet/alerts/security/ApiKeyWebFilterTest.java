package io.streamfleet.alerts.security;

import io.streamfleet.support.security.ApiKey;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.support.security.Scopes;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import java.util.List;
import java.util.Set;

import static org.springframework.web.reactive.function.server.RequestPredicates.all;

class ApiKeyWebFilterTest {

    private final ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(List.of(
            new ApiKey("reader", ApiKeyAuthenticator.sha256Hex("read-key"), Set.of(Scopes.ALERTS_READ), 0),
            new ApiKey("admin", ApiKeyAuthenticator.sha256Hex("admin-key"), Set.of(Scopes.WEBHOOKS_ADMIN), 0)));
    private final WebTestClient client = WebTestClient
            .bindToRouterFunction(RouterFunctions.route(all(), request -> ServerResponse.ok().bodyValue("ok")))
            .webFilter(new ApiKeyWebFilter(authenticator))
            .build();

    @Test
    void shouldAnswer401ProblemWhenNoKeyIsSent() {
        client.get().uri("/v1/alerts").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer realm=\"streamfleet\"")
                .expectHeader().contentType("application/problem+json")
                .expectBody().jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.detail").value(d -> org.assertj.core.api.Assertions.assertThat((String) d)
                        .contains("Authorization"));
    }

    @Test
    void shouldAnswer403WhenTheKeyLacksTheScope() {
        client.get().uri("/v1/webhooks").header("Authorization", "Bearer read-key").exchange()
                .expectStatus().isForbidden();
        client.get().uri("/v1/console/overview").header("Authorization", "Bearer admin-key").exchange()
                .expectStatus().isForbidden();
        client.get().uri("/v1/alerts").header("Authorization", "Bearer admin-key").exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void shouldPassWhenTheKeyHasTheScope() {
        client.get().uri("/v1/alerts?type=ENGAGEMENT_DROP").header("Authorization", "Bearer read-key").exchange()
                .expectStatus().isOk();
        client.post().uri("/v1/webhooks").header("Authorization", "Bearer admin-key").exchange()
                .expectStatus().isOk();
    }

    @Test
    void shouldAcceptTheAccessTokenParameterOnlyWhenOpeningTheStream() {
        client.get().uri("/v1/alerts/stream?access_token=read-key").exchange().expectStatus().isOk();
        client.get().uri("/v1/alerts?access_token=read-key").exchange().expectStatus().isUnauthorized();
        client.get().uri("/v1/webhooks?access_token=admin-key").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void shouldLeaveTheConsoleAndActuatorOpenWhenNoKeyIsSent() {
        client.get().uri("/").exchange().expectStatus().isOk();
        client.get().uri("/console/config").exchange().expectStatus().isOk();
        client.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }
}
