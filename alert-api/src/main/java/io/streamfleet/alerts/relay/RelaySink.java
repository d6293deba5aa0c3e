package io.streamfleet.alerts.relay;

import io.streamfleet.alerts.relay.event.RelayMessage;

/**
 * Where one relay sends: its output binding. {@code send} returns only once the destination confirmed the message, and
 * throws otherwise.
 */
public interface RelaySink extends AutoCloseable {

    void send(RelayMessage message);

    /** The output binding's name, for logs. */
    String binding();

    @Override
    default void close() {
    }
}
