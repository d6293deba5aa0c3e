package io.streamfleet.alerts.webhook.policy;

import java.time.Duration;
import java.util.Optional;

/**
 * When to try a failed delivery again: exponential backoff ({@code initial × multiplier^(n−1)}, capped), minus up to
 * {@code jitter} of it at random so that endpoints recovering from an outage are not hit by synchronized retries, and
 * never sooner than the endpoint's own {@code Retry-After} (itself capped by {@code maxBackoff}).
 *
 * @param maxAttempts    attempts in total, the first included
 * @param initialBackoff delay after the first failure
 * @param multiplier     growth per further failure
 * @param maxBackoff     upper bound of any delay
 * @param jitter         fraction in [0, 1) of the delay that is randomized away
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
                          double jitter) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initialBackoff must be positive");
        }
        if (multiplier < 1) {
            throw new IllegalArgumentException("multiplier must be at least 1");
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must not be below initialBackoff");
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1)");
        }
    }

    /**
     * The delay before the next attempt, or empty when {@code attemptsMade} used up the budget.
     *
     * @param attemptsMade attempts made so far (≥ 1)
     * @param retryAfter   the endpoint's Retry-After, or null
     * @param random       a uniform value in [0, 1)
     */
    public Optional<Duration> nextDelay(int attemptsMade, Duration retryAfter, double random) {
        if (attemptsMade >= maxAttempts) {
            return Optional.empty();
        }
        double base = Math.min(maxBackoff.toMillis(),
                initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attemptsMade - 1)));
        long delay = Math.round(base * (1 - jitter * random));
        if (retryAfter != null) {
            delay = Math.max(delay, Math.min(retryAfter.toMillis(), maxBackoff.toMillis()));
        }
        return Optional.of(Duration.ofMillis(Math.max(1, delay)));
    }
}
