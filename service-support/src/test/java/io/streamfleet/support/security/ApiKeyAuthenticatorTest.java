package io.streamfleet.support.security;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyAuthenticatorTest {

    private final ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(List.of(
            new ApiKey("writer", ApiKeyAuthenticator.sha256Hex("s3cret"), Set.of(Scopes.EVENTS_WRITE), 100)));

    @Test
    void shouldAcceptAKnownKeyWithTheScope() {
        AuthResult result = authenticator.authenticate("Bearer s3cret", Scopes.EVENTS_WRITE);
        assertThat(result.ok()).isTrue();
        assertThat(result.key().id()).isEqualTo("writer");
    }

    @Test
    void shouldForbidAKnownKeyWithoutTheScope() {
        assertThat(authenticator.authenticate("Bearer s3cret", Scopes.ALERTS_READ).outcome())
                .isEqualTo(AuthResult.Outcome.FORBIDDEN);
    }

    @Test
    void shouldRejectMissingMalformedAndUnknownCredentials() {
        assertThat(authenticator.authenticate(null, Scopes.EVENTS_WRITE).outcome())
                .isEqualTo(AuthResult.Outcome.UNAUTHENTICATED);
        assertThat(authenticator.authenticate("Basic abc", Scopes.EVENTS_WRITE).message()).contains("scheme");
        assertThat(authenticator.authenticate("Bearer nope", Scopes.EVENTS_WRITE).message()).isEqualTo("unknown API key");
    }

    @Test
    void shouldGrantTheDevelopmentKeyEveryScope() {
        ApiKeyProperties props = new ApiKeyProperties(List.of(), "dev-key-123", 0);
        ApiKeyAuthenticator dev = new ApiKeyAuthenticator(props.apiKeys());
        assertThat(Scopes.ALL).allSatisfy(scope ->
                assertThat(dev.authenticate("Bearer dev-key-123", scope).ok()).isTrue());
    }
}
