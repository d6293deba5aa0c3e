package io.streamfleet.support.security;

/**
 * Outcome of authenticating one request.
 *
 * @param outcome what happened
 * @param key     the matched key (for OK and FORBIDDEN), else null
 * @param message a specific, safe explanation (never echoes the secret)
 */
public record AuthResult(Outcome outcome, ApiKey key, String message) {

    public enum Outcome {
        /** Authenticated and allowed. */
        OK,
        /** No or malformed credentials, or an unknown key: HTTP 401. */
        UNAUTHENTICATED,
        /** A valid key without the needed scope: HTTP 403. */
        FORBIDDEN
    }

    public boolean ok() {
        return outcome == Outcome.OK;
    }
}
