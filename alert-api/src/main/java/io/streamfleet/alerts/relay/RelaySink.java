package io.streamfleet.alerts.relay;

import io.streamfleet.alerts.relay.event.RelayMessage;

/** Where a relay sends: an output binding. Returns only once the destination confirmed the message, else throws. */
@FunctionalInterface
public interface RelaySink {

    void send(String binding, RelayMessage message);
}
