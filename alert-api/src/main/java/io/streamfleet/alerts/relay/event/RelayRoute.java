package io.streamfleet.alerts.relay.event;

import io.streamfleet.alerts.alert.AlertFilter;

import java.util.Objects;

/**
 * One configured relay: which alerts go to which output binding.
 *
 * @param name    the relay's name (metrics tag, consumer group suffix, logs)
 * @param binding the Spring Cloud Stream output binding the alerts are sent to
 * @param filter  which alerts, as a webhook subscription filters them
 */
public record RelayRoute(String name, String binding, AlertFilter filter) {

    public RelayRoute {
        Objects.requireNonNull(filter, "filter");
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("name: '" + name + "' must be 1-64 of A-Z a-z 0-9 . _ -");
        }
        if (binding == null || binding.isBlank()) {
            throw new IllegalArgumentException("binding: relay '" + name + "' names no output binding");
        }
    }
}
