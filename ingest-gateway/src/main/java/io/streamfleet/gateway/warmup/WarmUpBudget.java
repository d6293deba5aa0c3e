package io.streamfleet.gateway.warmup;

import java.time.Duration;

/**
 * How much a self-warm-up may do before the gateway reports ready: it stops at whichever bound it reaches first.
 *
 * @param requests    most warm-up requests (each one a dry-run request over loopback and its events sent to the
 *                    warm-up topic)
 * @param maxTime     longest run; readiness is delayed by at most this much (plus the last requests' answers)
 * @param concurrency requests in flight at once, like as many client connections
 */
public record WarmUpBudget(int requests, Duration maxTime, int concurrency) {

    public WarmUpBudget {
        if (requests < 1) {
            throw new IllegalArgumentException("requests must be >= 1, was " + requests);
        }
        if (maxTime == null || maxTime.isNegative() || maxTime.isZero()) {
            throw new IllegalArgumentException("max-time must be > 0, was " + maxTime);
        }
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("concurrency must be between 1 and 256, was " + concurrency);
        }
    }
}
