package io.streamfleet.alerts.relay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.alerts.TestAlerts;
import io.streamfleet.alerts.alert.AlertFilter;
import io.streamfleet.alerts.intake.AlertDecoder;
import io.streamfleet.alerts.relay.binder.BindingSink;
import io.streamfleet.alerts.relay.binder.SendConfirmation;
import io.streamfleet.alerts.relay.event.CloudEventHeaders;
import io.streamfleet.alerts.relay.event.RelayRoute;
import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.alert.EngagementAlert;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.stream.binder.test.OutputDestination;
import org.springframework.cloud.stream.binder.test.TestChannelBinderConfiguration;
import org.springframework.cloud.stream.binding.BindingService;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay's handling of one alert record through a real Spring Cloud Stream output binding, on the test binder:
 * which alerts pass, the bytes that leave, the CloudEvents headers.
 */
class RelayHandlerTestBinderTest {

    private static final String ANOMALIES = "alerts.anomaly";
    private static final String ENGAGEMENT = "alerts.engagement";
    private static ConfigurableApplicationContext context;
    private static OutputDestination output;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Binder {
    }

    @BeforeAll
    static void start() {
        context = new SpringApplicationBuilder(TestChannelBinderConfiguration.getCompleteConfiguration(Binder.class))
                .web(WebApplicationType.NONE)
                .run("--spring.config.name=relay-test-binder", "--spring.cloud.stream.function.autodetect=false",
                        "--spring.cloud.stream.default-binder=integration",
                        "--spring.cloud.stream.bindings.audit.destination=audit-topic",
                        "--spring.cloud.stream.bindings.burst.destination=burst-topic");
        output = context.getBean(OutputDestination.class);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    private RelayHandler handler(String binding, AlertFilter filter) {
        return new RelayHandler(new RelayRoute(binding, binding, filter), new AlertDecoder(ANOMALIES, ENGAGEMENT,
                registry), new CloudEventHeaders("/streamfleet/test"), new BindingSink(
                context.getBean(BindingService.class), binding, java.time.Duration.ofSeconds(10), SendConfirmation.NONE),
                new RelayMetrics(binding, registry));
    }

    @Test
    void shouldSendTheAlertBytesUnchangedWithCloudEventsHeadersWhenAnAlertIsRelayed() {
        AnomalyAlert alert = TestAlerts.anomaly("a-1", "acc-1", "AAPL", 1_764_000_000_123L);
        // spacing and field order a re-serialisation would not keep: the relay must pass the record's own bytes
        byte[] value = ("{ \"note\":\"12 created, 10 cancelled\",  " + TestAlerts.feed(alert, ANOMALIES, 0, 0).json()
                .substring(1)).getBytes(StandardCharsets.UTF_8);

        RelayHandler.Outcome outcome = handler("audit", AlertFilter.ALL).handle(record(ANOMALIES, alert.key(), value));

        Message<byte[]> sent = output.receive(1000, "audit-topic");
        assertThat(outcome).isEqualTo(RelayHandler.Outcome.SENT);
        assertThat(sent.getPayload()).isEqualTo(value);
        assertThat(sent.getHeaders()).containsEntry("ce_id", "a-1")
                .containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_source", "/streamfleet/test")
                .containsEntry("ce_type", "io.streamfleet.alert.burst_create_mass_cancel")
                .containsEntry("ce_time", "2025-11-24T16:00:00.123Z")
                .containsEntry("ce_subject", "acc-1|AAPL")
                .containsEntry("content-type", "application/json");
        assertThat(registry.get("streamfleet.relay.sent").tag("relay", "audit").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldSendOnlyMatchingAlertsWhenTheRelayFiltersLikeAWebhookSubscription() {
        RelayHandler burst = handler("burst", new AlertFilter(Set.of(AlertType.BURST_CREATE_MASS_CANCEL), "acc-2",
                null, null));
        AnomalyAlert wanted = TestAlerts.anomaly("b-1", "acc-2", "MSFT", 1_000L);
        AnomalyAlert otherAccount = TestAlerts.anomaly("b-2", "acc-3", "MSFT", 1_000L);
        EngagementAlert engagement = TestAlerts.engagement("b-3", "user-1", 1_000L);

        assertThat(burst.handle(record(ANOMALIES, otherAccount.key(), json(otherAccount))))
                .isEqualTo(RelayHandler.Outcome.FILTERED);
        assertThat(burst.handle(record(ENGAGEMENT, engagement.key(), json(engagement))))
                .isEqualTo(RelayHandler.Outcome.FILTERED);
        assertThat(burst.handle(record(ANOMALIES, wanted.key(), json(wanted)))).isEqualTo(RelayHandler.Outcome.SENT);

        assertThat(output.receive(1000, "burst-topic").getHeaders()).containsEntry("ce_id", "b-1");
        assertThat(output.receive(200, "burst-topic")).isNull();
        assertThat(registry.get("streamfleet.relay.skipped").tags("relay", "burst", "reason", "filtered").counter()
                .count()).isEqualTo(2);
    }

    @Test
    void shouldRelayEngagementAlertsWithTheirOwnCloudEventsTypeWhenTheFilterNamesAUser() {
        EngagementAlert alert = TestAlerts.engagement("e-1", "user-9", 5_000L);

        handler("audit", new AlertFilter(Set.of(), null, null, "user-9"))
                .handle(record(ENGAGEMENT, alert.key(), json(alert)));

        Message<byte[]> sent = output.receive(1000, "audit-topic");
        assertThat(sent.getPayload()).isEqualTo(json(alert));
        assertThat(sent.getHeaders()).containsEntry("ce_type", "io.streamfleet.alert.engagement_drop")
                .containsEntry("ce_subject", "user-9");
    }

    @Test
    void shouldSkipAndCountWhenTheRecordIsNotAnAlert() {
        RelayHandler.Outcome outcome = handler("audit", AlertFilter.ALL)
                .handle(record(ANOMALIES, "k", "not json".getBytes(StandardCharsets.UTF_8)));

        assertThat(outcome).isEqualTo(RelayHandler.Outcome.UNREADABLE);
        assertThat(output.receive(200, "audit-topic")).isNull();
        assertThat(registry.get("streamfleet.relay.skipped").tags("relay", "audit", "reason", "unreadable")
                .counter().count()).isEqualTo(1);
    }

    private static byte[] json(io.streamfleet.contracts.alert.Alert alert) {
        return TestAlerts.feed(alert, "t", 0, 0).json().getBytes(StandardCharsets.UTF_8);
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ConsumerRecord<>(topic, 0, 0, key.getBytes(StandardCharsets.UTF_8), value);
    }
}
