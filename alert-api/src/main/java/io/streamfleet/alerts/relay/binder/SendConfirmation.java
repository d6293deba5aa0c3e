package io.streamfleet.alerts.relay.binder;

import org.springframework.messaging.support.MessageBuilder;

import java.time.Duration;

/**
 * How a {@link BindingSink} learns that the destination confirmed a message when the binder's handler returns before
 * that (RabbitMQ: publisher confirms). {@link #NONE} for binders whose send already waits (Kafka with
 * {@code producer.sync=true}).
 */
@FunctionalInterface
public interface SendConfirmation {

    /** Nothing to wait for: the binder's handler returns after the broker acknowledged. */
    SendConfirmation NONE = message -> () -> { };

    /** Adds what the binder needs to report the outcome to the message about to be sent; returns the wait for it. */
    Pending attach(MessageBuilder<byte[]> message);

    /** Makes the confirmation of one binding; the RabbitMQ build ({@code -Prabbit}) provides one for RabbitMQ. */
    @FunctionalInterface
    interface Factory {
        SendConfirmation forBinding(String binding, Duration timeout);
    }

    /** The outcome of one sent message. */
    @FunctionalInterface
    interface Pending {
        /** Returns once the destination confirmed the message; throws on a refusal or when it took too long. */
        void await();
    }
}
