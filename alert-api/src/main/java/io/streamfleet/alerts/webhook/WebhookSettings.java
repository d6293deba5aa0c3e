package io.streamfleet.alerts.webhook;

import java.time.Duration;

/**
 * @param rotationGrace    how long the previous secret keeps signing after a rotation (default of the request)
 * @param maxRotationGrace longest grace a rotation request may ask for
 */
public record WebhookSettings(Duration rotationGrace, Duration maxRotationGrace) {
}
