package io.streamfleet.session.topology;

import io.streamfleet.session.baseline.BaselineRule;
import io.streamfleet.session.metrics.SessionWindowRule;

import java.time.Duration;
import java.util.Objects;

/**
 * How one deployment sessionizes and judges engagement.
 *
 * @param window              session gap and grace
 * @param baseline            EMA smoothing and drop threshold
 * @param idleTimeout         wall-clock silence after which an idle partition's stream time advances
 * @param punctuationInterval how often idle advance and closing run without records
 */
public record SessionSettings(SessionWindowRule window, BaselineRule baseline, Duration idleTimeout,
                              Duration punctuationInterval) {

    public SessionSettings {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(baseline, "baseline");
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idle timeout must not be negative, was " + idleTimeout);
        }
        if (punctuationInterval == null || punctuationInterval.isNegative() || punctuationInterval.isZero()) {
            throw new IllegalArgumentException("punctuation interval must be positive, was " + punctuationInterval);
        }
    }

    /** SPEC §6 defaults: 30 min gap, 120 s grace, α 0.3, 30 % drop; idle after 5 s, punctuate every second. */
    public static SessionSettings defaults() {
        return new SessionSettings(new SessionWindowRule(Duration.ofMinutes(30).toMillis(), 120_000),
                new BaselineRule(0.3, 0.30), Duration.ofSeconds(5), Duration.ofSeconds(1));
    }
}
