package io.streamfleet.alerts.relay.binder;

import io.streamfleet.alerts.relay.RelaySink;
import io.streamfleet.alerts.relay.event.RelayMessage;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;

/**
 * Sends relay messages through Spring Cloud Stream output bindings, so the destination is whatever binder the binding
 * names (Kafka by default, RabbitMQ with the {@code rabbit} build profile). The payload is the alert record's bytes and
 * travels as they are: a {@code byte[]} with content type application/json is not converted by the binder.
 * {@code send} returns once the binder's handler returned: with the Kafka binder's {@code producer.sync=true} (the
 * default alert-api sets) that is after the broker acknowledged the record, and a failed send throws.
 */
public final class StreamBridgeSink implements RelaySink {

    private final StreamBridge bridge;

    public StreamBridgeSink(StreamBridge bridge) {
        this.bridge = bridge;
    }

    @Override
    public void send(String binding, RelayMessage message) {
        MessageBuilder<byte[]> builder = MessageBuilder.withPayload(message.payload())
                .copyHeaders(message.headers())
                .setHeader(MessageHeaders.CONTENT_TYPE, MimeTypeUtils.APPLICATION_JSON_VALUE);
        if (message.key() != null) {
            // the Kafka binder uses this header as the record key; other binders carry it as a plain header
            builder.setHeader(KafkaHeaders.KEY, message.key());
        }
        Message<byte[]> built = builder.build();
        if (!bridge.send(binding, built)) {
            throw new IllegalStateException("binding " + binding + " did not accept the message");
        }
    }
}
