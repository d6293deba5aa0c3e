package io.streamfleet.session.topology;

import io.streamfleet.session.baseline.BaselineRule;
import io.streamfleet.session.metrics.SessionWindowRule;
import io.streamfleet.support.progress.ProgressRules;

import java.time.Duration;
import java.util.Objects;

/**
 * How one deployment sessionizes and judges engagement.
 *
 * @param window              session gap and grace
 * @param baseline            EMA smoothing and drop threshold
 * @param progress            how progress records move a partition's stream time (docs/event-time.md); the clean
 *                            topic normally carries only stream-processor's {@code stream-time} marks, to which the
 *                            rules' timeouts do not apply
 * @param punctuationInterval how often stream time and state sizes are reported as metrics (never moves time)
 */
public record SessionSettings(SessionWindowRule window, BaselineRule baseline, ProgressRules progress,
                              Duration punctuationInterval) {

    public SessionSettings {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(progress, "progress");
        if (punctuationInterval == null || punctuationInterval.isNegative() || punctuationInterval.isZero()) {
            throw new IllegalArgumentException("punctuation interval must be positive, was " + punctuationInterval);
        }
    }

    /** Defaults: 30 min gap, 120 s grace, α 0.3, 30 % drop; the fleet's progress rules; metrics every second. */
    public static SessionSettings defaults() {
        return new SessionSettings(new SessionWindowRule(Duration.ofMinutes(30).toMillis(), 120_000),
                new BaselineRule(0.3, 0.30), ProgressRules.defaults(), Duration.ofSeconds(1));
    }
}
