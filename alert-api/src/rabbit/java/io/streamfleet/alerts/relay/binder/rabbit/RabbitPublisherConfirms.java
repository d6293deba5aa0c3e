package io.streamfleet.alerts.relay.binder.rabbit;

import io.streamfleet.alerts.relay.binder.SendConfirmation;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.messaging.support.MessageBuilder;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * RabbitMQ publisher confirms for one relay binding: each message carries a {@link CorrelationData} in the header the
 * RabbitMQ binder's outbound endpoint completes ({@code useConfirmHeader}, with
 * {@code spring.rabbitmq.publisher-confirm-type=correlated}), and the send waits for its confirm. A nack, a returned
 * (unroutable, with {@code mandatory} and publisher returns on) message or no confirm within the timeout fails the
 * send. Only loaded when the RabbitMQ binder is on the classpath.
 */
public final class RabbitPublisherConfirms implements SendConfirmation {

    private final String binding;
    private final Duration timeout;

    public RabbitPublisherConfirms(String binding, Duration timeout) {
        this.binding = binding;
        this.timeout = timeout;
    }

    @Override
    public Pending attach(MessageBuilder<byte[]> message) {
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        message.setHeader(AmqpHeaders.PUBLISH_CONFIRM_CORRELATION, correlation);
        return () -> await(correlation);
    }

    void await(CorrelationData correlation) {
        CorrelationData.Confirm confirm;
        try {
            confirm = correlation.getFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("binding " + binding + ": no publisher confirm from RabbitMQ within "
                    + timeout + " (is spring.rabbitmq.publisher-confirm-type correlated and the binding's "
                    + "producer.use-confirm-header true?)", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("binding " + binding + ": publisher confirm failed: " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the publisher confirm of " + binding, e);
        }
        if (!confirm.ack()) {
            throw new IllegalStateException("binding " + binding + ": RabbitMQ refused the message (nack: "
                    + confirm.reason() + ")");
        }
        ReturnedMessage returned = correlation.getReturned();
        if (returned != null) {
            throw new IllegalStateException("binding " + binding + ": RabbitMQ returned the message as unroutable ("
                    + returned.getReplyCode() + " " + returned.getReplyText() + ", exchange "
                    + returned.getExchange() + ")");
        }
    }
}
