package io.streamfleet.alerts.relay.event;

import java.util.Map;

/**
 * What a relay hands to its output binding for one alert.
 *
 * @param key     the alert record's key (its subject), so a keyed destination keeps per-subject order
 * @param payload the alert record's value, byte for byte
 * @param headers CloudEvents attributes ({@link CloudEventHeaders})
 */
public record RelayMessage(byte[] key, byte[] payload, Map<String, String> headers) {

    public RelayMessage {
        headers = Map.copyOf(headers);
    }
}
