package io.streamfleet.alerts.it;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.micrometer.core.instrument.Counter;
import io.streamfleet.alerts.TestAlerts;
import io.streamfleet.alerts.relay.binder.BindingSink;
import io.streamfleet.alerts.relay.binder.SendConfirmation;
import io.streamfleet.alerts.relay.event.RelayMessage;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.stream.binding.BindingService;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A relay to RabbitMQ through Spring Cloud Stream's RabbitMQ binder: the alert produced upstream arrives at a queue
 * bound to the relay's exchange with the same bytes and the CloudEvents headers, and a relay's send returns only once
 * the broker confirmed the message (publisher confirms, with alert-api's default settings). Compiled only with the
 * {@code rabbit} build profile ({@code mvn -Prabbit …}, source folder {@code src/rabbit-test/java}); needs a broker at
 * {@code RABBITMQ_HOST}:{@code RABBITMQ_PORT} (default localhost:5672, guest/guest) and is skipped with the reason
 * otherwise. Debian's {@code rabbitmq-server} package is enough.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "rabbitBinderAndBroker", disabledReason = "needs the RabbitMQ binder (build with mvn -Prabbit) "
        + "and a RabbitMQ broker at RABBITMQ_HOST:RABBITMQ_PORT (default localhost:5672)")
class RabbitRelayIT {

    private static final String RABBIT_BINDER = "org.springframework.cloud.stream.binder.rabbit.RabbitMessageChannelBinder";
    private static final BlockingQueue<Message<byte[]>> RECEIVED = new LinkedBlockingQueue<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String exchange = "streamfleet.alerts.it-" + run;
    private final String confirmedExchange = "streamfleet.alerts.confirmed-it-" + run;
    private static final String HOST = System.getenv().getOrDefault("RABBITMQ_HOST", "localhost");
    private static final int PORT = Integer.parseInt(System.getenv().getOrDefault("RABBITMQ_PORT", "5672"));
    private ConfigurableApplicationContext capture;
    private RunningApp app;

    @BeforeAll
    void start() {
        // the consumer's durable queue must be bound to the exchange before anything is relayed to it
        capture = new SpringApplicationBuilder(Capture.class).web(WebApplicationType.NONE).run(
                "--spring.config.name=rabbit-relay-capture", "--spring.cloud.function.definition=capture",
                "--spring.cloud.stream.default-binder=rabbit",
                "--spring.cloud.stream.bindings.capture-in-0.destination=" + exchange,
                "--spring.cloud.stream.bindings.capture-in-0.group=it",
                "--spring.rabbitmq.host=" + HOST, "--spring.rabbitmq.port=" + PORT,
                "--spring.kafka.bootstrap-servers=" + SharedKafkaBroker.bootstrapServers());
        Map<String, Object> settings = new HashMap<>();
        settings.put("streamfleet.alerts.webhooks.group-id", "rabbit-relay-it-" + run);
        settings.put("streamfleet.relay.group-prefix", "rabbit-relay-it-" + run + "-");
        settings.put("streamfleet.relay.relays[0].name", "rabbit");
        settings.put("streamfleet.relay.relays[0].binding", "relay-rabbit");
        settings.put("streamfleet.relay.relays[0].auto-offset-reset", "earliest");
        settings.put("streamfleet.relay.relays[0].filters.account-id", "acc-rabbit-" + run);
        settings.put("spring.cloud.stream.default-binder", "kafka");
        settings.put("spring.cloud.stream.bindings.relay-rabbit.destination", exchange);
        settings.put("spring.cloud.stream.bindings.relay-rabbit.binder", "rabbit");
        settings.put("spring.cloud.stream.bindings.relay-confirmed.destination", confirmedExchange);
        settings.put("spring.cloud.stream.bindings.relay-confirmed.binder", "rabbit");
        settings.put("spring.rabbitmq.host", HOST);
        settings.put("spring.rabbitmq.port", PORT);
        app = RunningApp.start(settings);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        if (capture != null) {
            capture.close();
        }
    }

    @Test
    void shouldDeliverTheAlertBytesWithCloudEventsHeadersToRabbitMqWhenARelayUsesTheRabbitBinder() throws Exception {
        AnomalyAlert alert = TestAlerts.anomaly("rabbit-" + run, "acc-rabbit-" + run, "AAPL",
                System.currentTimeMillis());

        TopicProbe.send(Topics.ALERTS_ANOMALY, Map.entry(alert.key(), alert));

        Message<byte[]> received = RECEIVED.poll(30, TimeUnit.SECONDS);
        assertThat(received).as("message on the queue bound to " + exchange).isNotNull();
        assertThat(received.getPayload()).isEqualTo(ContractMapper.shared().writeValueAsBytes(alert));
        // a Spring Cloud Function consumer presents CloudEvents attributes under its canonical "ce-" prefix
        assertThat(attribute(received, "id")).isEqualTo(alert.alertId());
        assertThat(attribute(received, "type")).isEqualTo("io.streamfleet.alert.burst_create_mass_cancel");
        assertThat(attribute(received, "specversion")).isEqualTo("1.0");
        assertThat(attribute(received, "time")).isEqualTo(java.time.Instant.ofEpochMilli(alert.detectedAtMs()).toString());
        // "sent" counts only confirmed sends: without the broker's confirm the send would time out and count as failed
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(counter("streamfleet.relay.sent")).isGreaterThanOrEqualTo(1));
        assertThat(counter("streamfleet.relay.failed")).isZero();
    }

    @Test
    void shouldReturnFromSendOnlyOnceRabbitMqConfirmedTheMessageWhenTheBindingIsOnTheRabbitBinder() throws Exception {
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost(HOST);
        factory.setPort(PORT);
        String queue = "streamfleet.confirmed-it-" + run;
        List<CorrelationData> correlations = new ArrayList<>();
        SendConfirmation rabbit = app.bean(SendConfirmation.Factory.class)
                .forBinding("relay-confirmed", Duration.ofSeconds(10));
        SendConfirmation recording = message -> {
            SendConfirmation.Pending pending = rabbit.attach(message);
            correlations.add((CorrelationData) message.build().getHeaders().get(AmqpHeaders.PUBLISH_CONFIRM_CORRELATION));
            return pending;
        };
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel();
             BindingSink sink = new BindingSink(app.bean(BindingService.class), "relay-confirmed",
                     Duration.ofSeconds(20), recording)) {
            // the binder declares the same durable topic exchange when it binds; the queue must exist before the send
            channel.exchangeDeclare(confirmedExchange, "topic", true);
            channel.queueDeclare(queue, false, false, true, null);
            channel.queueBind(queue, confirmedExchange, "#");
            byte[] payload = ("{\"alertId\":\"confirmed-" + run + "\"}").getBytes(StandardCharsets.UTF_8);

            sink.send(new RelayMessage("acc|AAPL".getBytes(StandardCharsets.UTF_8), payload,
                    Map.of("ce_id", "confirmed-" + run)));

            // when send returns the broker has acked the message: it is already on the queue, no waiting
            assertThat(correlations).hasSize(1);
            assertThat(correlations.get(0).getFuture()).isCompleted();
            assertThat(correlations.get(0).getFuture().get().ack()).isTrue();
            GetResponse onQueue = channel.basicGet(queue, true);
            assertThat(onQueue).as("message on " + queue + " when send returned").isNotNull();
            assertThat(onQueue.getBody()).isEqualTo(payload);
            assertThat(onQueue.getProps().getHeaders()).doesNotContainKey(AmqpHeaders.PUBLISH_CONFIRM_CORRELATION);
            channel.queueDelete(queue);
        }
    }

    private double counter(String name) {
        Counter counter = app.meters().find(name).tag("relay", "rabbit").counter();
        return counter == null ? 0 : counter.count();
    }

    private static Object attribute(Message<byte[]> message, String name) {
        Object value = message.getHeaders().get("ce_" + name);
        return value != null ? value : message.getHeaders().get("ce-" + name);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Capture {

        @Bean
        Consumer<Message<byte[]>> capture() {
            return RECEIVED::add;
        }
    }

    static boolean rabbitBinderAndBroker() {
        return onClasspath(RABBIT_BINDER) && reachable(HOST, PORT);
    }

    private static boolean onClasspath(String className) {
        try {
            Class.forName(className, false, RabbitRelayIT.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
