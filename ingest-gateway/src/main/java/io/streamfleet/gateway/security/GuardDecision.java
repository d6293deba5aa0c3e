package io.streamfleet.gateway.security;

import java.time.Duration;

/**
 * Whether a request may go on: the key id when it may, else why not.
 *
 * @param keyId      the matched API key's id (for OK, FORBIDDEN and RATE_LIMITED), else null
 * @param retryAfter for RATE_LIMITED, when to try again
 */
public record GuardDecision(Outcome outcome, String keyId, String message, Duration retryAfter) {

    public enum Outcome {
        OK, UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED
    }

    public boolean ok() {
        return outcome == Outcome.OK;
    }
}
