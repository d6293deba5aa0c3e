package io.streamfleet.alerts.relay.binder.rabbit;

import io.streamfleet.alerts.relay.binder.SendConfirmation;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.messaging.support.MessageBuilder;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A relay's send to RabbitMQ succeeds only on the broker's ack: a nack, a return or no confirm in time fail it. */
class RabbitPublisherConfirmsTest {

    private final RabbitPublisherConfirms confirms = new RabbitPublisherConfirms("relay-ops", Duration.ofMillis(200));
    private final MessageBuilder<byte[]> message = MessageBuilder.withPayload(new byte[] {1});

    @Test
    void shouldReturnWhenTheBrokerAcksTheMessage() {
        SendConfirmation.Pending pending = confirms.attach(message);
        correlation().getFuture().complete(new CorrelationData.Confirm(true, null));

        assertThatNoException().isThrownBy(pending::await);
    }

    @Test
    void shouldAttachAFreshCorrelationToEveryMessageWhenMessagesAreSent() {
        confirms.attach(message);
        CorrelationData first = correlation();
        MessageBuilder<byte[]> second = MessageBuilder.withPayload(new byte[] {2});
        confirms.attach(second);

        assertThat(first.getId()).isNotBlank()
                .isNotEqualTo(((CorrelationData) second.build().getHeaders()
                        .get(AmqpHeaders.PUBLISH_CONFIRM_CORRELATION)).getId());
    }

    @Test
    void shouldFailTheSendWhenTheBrokerNacksTheMessage() {
        SendConfirmation.Pending pending = confirms.attach(message);
        correlation().getFuture().complete(new CorrelationData.Confirm(false, "queue full"));

        assertThatThrownBy(pending::await).hasMessageContaining("relay-ops").hasMessageContaining("nack: queue full");
    }

    @Test
    void shouldFailTheSendWhenNoConfirmArrivesWithinTheTimeout() {
        SendConfirmation.Pending pending = confirms.attach(message);

        long start = System.nanoTime();
        assertThatThrownBy(pending::await).hasMessageContaining("no publisher confirm")
                .hasMessageContaining("PT0.2S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }

    @Test
    void shouldFailTheSendWhenTheBrokerReturnsTheMessageAsUnroutable() {
        SendConfirmation.Pending pending = confirms.attach(message);
        CorrelationData correlation = correlation();
        // the binder sets the returned message before it completes the confirm (which is an ack for a return)
        correlation.setReturned(new ReturnedMessage(new Message(new byte[] {1}, new MessageProperties()), 312,
                "NO_ROUTE", "streamfleet.alerts", "#"));
        correlation.getFuture().complete(new CorrelationData.Confirm(true, null));

        assertThatThrownBy(pending::await).hasMessageContaining("unroutable").hasMessageContaining("312 NO_ROUTE");
    }

    private CorrelationData correlation() {
        return (CorrelationData) message.build().getHeaders().get(AmqpHeaders.PUBLISH_CONFIRM_CORRELATION);
    }
}
