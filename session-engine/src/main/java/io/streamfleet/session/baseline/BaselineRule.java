package io.streamfleet.session.baseline;

import io.streamfleet.contracts.stats.EngagementSession;

import java.math.BigDecimal;

/**
 * The engagement-drop rule (docs/session-analytics.md#sessions-and-engagement-drops): a closed session is compared with
 * the user's baseline before it is folded in. A drop is {@code (baseline − asd) / baseline ≥ threshold}, decided
 * exactly in decimal so that 30 % is a drop and 29.9 % is not, whatever binary rounding would say. No baseline (first
 * session) or a zero baseline never alerts.
 *
 * @param alpha         EMA smoothing factor, in (0, 1]
 * @param dropThreshold smallest relative drop that alerts, in (0, 1]
 */
public record BaselineRule(double alpha, double dropThreshold) {

    public BaselineRule {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("EMA alpha must be in (0, 1], was " + alpha);
        }
        if (!(dropThreshold > 0 && dropThreshold <= 1)) {
            throw new IllegalArgumentException("drop threshold must be in (0, 1], was " + dropThreshold);
        }
    }

    /**
     * What a closed session means for its user.
     *
     * @param drop      true when the session alerts
     * @param dropRatio (baseline − asd) / baseline, or 0 without a usable baseline
     * @param prior     the baseline the session was compared with, or null for the first session
     * @param next      the baseline with the session folded in
     */
    public record Verdict(boolean drop, double dropRatio, Baseline prior, Baseline next) {
    }

    public Verdict judge(Baseline prior, EngagementSession session, double asdMs) {
        if (prior == null) {
            return new Verdict(false, 0, null, Baseline.first(session, asdMs));
        }
        double baseline = prior.emaAsdMs();
        if (!(baseline > 0)) {
            return new Verdict(false, 0, prior, prior.fold(session, asdMs, alpha, false));
        }
        BigDecimal exactBaseline = new BigDecimal(baseline);
        BigDecimal drop = exactBaseline.subtract(new BigDecimal(asdMs));
        boolean alerts = drop.compareTo(exactBaseline.multiply(BigDecimal.valueOf(dropThreshold))) >= 0;
        return new Verdict(alerts, (baseline - asdMs) / baseline, prior, prior.fold(session, asdMs, alpha, alerts));
    }
}
