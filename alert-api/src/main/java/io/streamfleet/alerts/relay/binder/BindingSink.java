package io.streamfleet.alerts.relay.binder;

import io.streamfleet.alerts.relay.RelaySink;
import io.streamfleet.alerts.relay.event.RelayMessage;
import org.springframework.cloud.stream.binding.BindingService;
import org.springframework.cloud.stream.messaging.DirectWithAttributesChannel;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One relay's Spring Cloud Stream output binding: a channel of its own, bound by the {@link BindingService} on a
 * thread of its own at the first send, so the destination is whatever binder the binding names (Kafka by default,
 * RabbitMQ with the {@code rabbit} build profile).
 * <p>
 * Not {@code StreamBridge}: it creates bindings under one lock, and the Kafka binder keeps retrying to provision an
 * unreachable destination for minutes, which would hold up every other relay. For the same reason a send waits at most
 * {@code bindTimeout} for the binding and otherwise fails (counted, retried by the relay) while binding goes on.
 * <p>
 * The payload is the alert record's bytes and is sent as it is ({@code byte[]} is never converted). {@code send}
 * returns once the binder's handler returned and the {@link SendConfirmation} saw the destination's confirmation: with
 * the Kafka binder's {@code producer.sync=true} (which alert-api sets by default) the handler returns after the broker
 * acknowledged the record; with RabbitMQ the send waits for the publisher confirm. A failure throws.
 */
public final class BindingSink implements RelaySink {

    private final BindingService bindings;
    private final String binding;
    private final Duration bindTimeout;
    private final SendConfirmation confirmation;
    private CompletableFuture<MessageChannel> bound;

    public BindingSink(BindingService bindings, String binding, Duration bindTimeout, SendConfirmation confirmation) {
        this.bindings = bindings;
        this.binding = binding;
        this.bindTimeout = bindTimeout;
        this.confirmation = confirmation;
    }

    @Override
    public String binding() {
        return binding;
    }

    @Override
    public void send(RelayMessage message) {
        MessageBuilder<byte[]> builder = MessageBuilder.withPayload(message.payload())
                .copyHeaders(message.headers())
                .setHeader(MessageHeaders.CONTENT_TYPE, MimeTypeUtils.APPLICATION_JSON_VALUE);
        if (message.key() != null) {
            // the Kafka binder uses this header as the record key; other binders carry it as a plain header
            builder.setHeader(KafkaHeaders.KEY, message.key());
        }
        MessageChannel channel = channel();
        SendConfirmation.Pending confirmed = confirmation.attach(builder);
        if (!channel.send(builder.build())) {
            throw new IllegalStateException("binding " + binding + " did not accept the message");
        }
        confirmed.await();
    }

    private synchronized MessageChannel channel() {
        if (bound == null) {
            bound = new CompletableFuture<>();
            Thread binder = new Thread(() -> bind(bound), "relay-bind-" + binding);
            binder.setDaemon(true);
            binder.start();
        }
        try {
            return bound.get(bindTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("binding " + binding + " is not bound yet after " + bindTimeout
                    + " (is its destination reachable?)", e);
        } catch (ExecutionException e) {
            bound = null; // bind again on the next attempt
            throw new IllegalStateException("binding " + binding + " could not be bound: " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + binding, e);
        }
    }

    private void bind(CompletableFuture<MessageChannel> result) {
        try {
            DirectWithAttributesChannel channel = new DirectWithAttributesChannel();
            channel.setComponentName(binding);
            channel.setAttribute("type", "output");
            // a destination that cannot be provisioned may also end in a late binding: sends then fail
            // (no subscriber) until the BindingService binds it, and the relay retries
            bindings.bindProducer(channel, binding);
            result.complete(channel);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    @Override
    public synchronized void close() {
        if (bound != null && bound.isDone() && !bound.isCompletedExceptionally()) {
            bindings.unbindProducers(binding);
        }
    }
}
