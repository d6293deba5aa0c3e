package io.streamfleet.contracts.alert;

import io.streamfleet.contracts.validation.FieldChecks;
import io.streamfleet.contracts.validation.FieldError;
import io.streamfleet.contracts.validation.Validatable;

import java.util.List;

/**
 * An engagement drop: a closed session's average session duration fell well below the user's baseline
 * (docs/contracts.md#engagement-alerts, docs/session-analytics.md#sessions-and-engagement-drops).
 *
 * @param asdMs         the session's mean view dwell time, 1 decimal
 * @param baselineAsdMs the user's EMA baseline before this session, 1 decimal
 * @param dropRatio     (baseline − asd) / baseline, 3 decimals
 */
public record EngagementAlert(
        String alertId,
        AlertType type,
        String userId,
        long sessionStartMs,
        long sessionEndMs,
        double asdMs,
        double baselineAsdMs,
        double dropRatio,
        long detectedAtMs,
        String note) implements Alert, Validatable {

    @Override
    public String key() {
        return userId;
    }

    @Override
    public List<FieldError> violations() {
        return new FieldChecks()
                .text("alertId", alertId, 1, 128)
                .check(type == AlertType.ENGAGEMENT_DROP, "type", "must be ENGAGEMENT_DROP")
                .text("userId", userId, 1, 64)
                .check(sessionEndMs >= sessionStartMs, "sessionEndMs", "must not be before sessionStartMs")
                .nonNegativeFinite("asdMs", asdMs)
                .nonNegativeFinite("baselineAsdMs", baselineAsdMs)
                .check(Double.isFinite(dropRatio) && dropRatio <= 1, "dropRatio", "must be a finite number up to 1")
                .errors();
    }
}
