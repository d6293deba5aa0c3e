package io.streamfleet.gateway.config;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every 2xx promises is not configurable: acks=all and idempotence survive any producer override. */
class PublishingConfigurationTest {

    private static final GatewayProperties.SingleEvents SINGLE_EVENTS =
            new GatewayProperties.SingleEvents(true, Duration.ZERO, 2);

    private static GatewayProperties.Publish publish(Duration sendTimeout, Map<String, String> producer) {
        return publish(sendTimeout, 5, producer);
    }

    private static GatewayProperties.Publish publish(Duration sendTimeout, int maxInFlightRequests,
                                                     Map<String, String> producer) {
        return new GatewayProperties.Publish(sendTimeout, Duration.ofMillis(1), maxInFlightRequests, 256, 50,
                Duration.ofSeconds(3), 100, 5, 20, Duration.ofSeconds(5), 3, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 10_000, Duration.ofSeconds(1), producer, SINGLE_EVENTS);
    }

    @Test
    void shouldFailStartUpNamingTheSettingWhenMaxHoldOrInFlightEventsAreNonsense() {
        assertThatThrownBy(() -> new GatewayProperties.Publish(Duration.ofSeconds(5), Duration.ofMillis(1), 5, 256, 50,
                Duration.ofSeconds(3), 100, 5, 20, Duration.ofSeconds(5), 3, Duration.ofSeconds(1), Duration.ZERO,
                10_000, Duration.ofSeconds(1), Map.of(), SINGLE_EVENTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streamfleet.gateway.publish.max-hold");
        assertThatThrownBy(() -> new GatewayProperties.Publish(Duration.ofSeconds(5), Duration.ofMillis(1), 5, 256, 50,
                Duration.ofSeconds(3), 100, 5, 20, Duration.ofSeconds(5), 3, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 0, Duration.ofSeconds(1), Map.of(), SINGLE_EVENTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streamfleet.gateway.publish.max-in-flight-events");
    }

    @Test
    void shouldKeepAcksAllAndIdempotenceWhenOverridesTryToWeakenThem() {
        Map<String, Object> config = PublishingConfiguration.producerConfig(publish(Duration.ofSeconds(5), Map.of(
                "acks", "0", "enable.idempotence", "false", "max.in.flight.requests.per.connection", "50",
                "delivery.timeout.ms", "600000", "compression.type", "lz4")));

        assertThat(config).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_999)
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        assertThat((Integer) config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG)).isLessThanOrEqualTo(2_000);
    }

    @Test
    void shouldGiveTheProducerTheConfiguredRequestsInFlightAndRejectCountsIdempotenceCannotKeepInOrder() {
        assertThat(PublishingConfiguration.producerConfig(publish(Duration.ofSeconds(5), 1, Map.of())))
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        for (int nonsense : new int[] {0, 6}) {
            assertThatThrownBy(() -> publish(Duration.ofSeconds(5), nonsense, Map.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("streamfleet.gateway.publish.max-in-flight-requests must be 1 to 5");
        }
    }

    @Test
    void shouldGiveSingleEventsAProducerThatDoesNotLingerUnderAClientIdOfItsOwnByDefault() {
        GatewayProperties.Publish publish = bound(Map.of()).publish();

        assertThat(publish.singleEvents().enabled()).isTrue();
        assertThat(PublishingConfiguration.producerConfig(publish))
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 1)
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5)
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "ingest-gateway");
        assertThat(PublishingConfiguration.singleEventProducerConfig(publish))
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0)
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 2)
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "ingest-gateway.single")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }

    @Test
    void shouldBindTheSingleEventProducersSettingsAndSuffixAConfiguredClientId() {
        GatewayProperties.Publish publish = bound(Map.of(
                "streamfleet.gateway.publish.single-events.linger", "2ms",
                "streamfleet.gateway.publish.single-events.max-in-flight-requests", "1",
                "streamfleet.gateway.publish.producer.client.id", "gw-a")).publish();

        assertThat(PublishingConfiguration.singleEventProducerConfig(publish))
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 2)
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1)
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "gw-a.single");
        assertThat(PublishingConfiguration.producerConfig(publish)).containsEntry(ProducerConfig.CLIENT_ID_CONFIG,
                "gw-a");
        assertThat(bound(Map.of("streamfleet.gateway.publish.single-events.enabled", "false")).publish()
                .singleEvents().enabled()).isFalse();
    }

    @Test
    void shouldFailStartUpNamingTheSingleEventSettingWhenItIsNonsense() {
        assertThatThrownBy(() -> bound(Map.of("streamfleet.gateway.publish.single-events.max-in-flight-requests",
                "6")))
                .rootCause().hasMessageContaining("streamfleet.gateway.publish.single-events.max-in-flight-requests "
                        + "must be 1 to 5");
        assertThatThrownBy(() -> bound(Map.of("streamfleet.gateway.publish.single-events.linger", "-1ms")))
                .rootCause().hasMessageContaining("streamfleet.gateway.publish.single-events.linger must be >= 0");
        assertThatThrownBy(() -> bound(Map.of("streamfleet.gateway.publish.single-events.linger", "5s")))
                .rootCause().hasMessageContaining("send-timeout must be at least "
                        + "streamfleet.gateway.publish.single-events.linger + 1s");
        // switched off, its settings are not used and not judged
        assertThat(bound(Map.of("streamfleet.gateway.publish.single-events.enabled", "false",
                "streamfleet.gateway.publish.single-events.max-in-flight-requests", "6")).publish().singleEvents()
                .enabled()).isFalse();
    }

    private static GatewayProperties bound(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("streamfleet.gateway", GatewayProperties.class);
    }

    @Test
    void shouldFailStartUpNamingTheSettingWhenSendTimeoutIsShorterThanLingerPlusOneSecond() {
        assertThatThrownBy(() -> publish(Duration.ofMillis(900), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streamfleet.gateway.publish.send-timeout");
    }
}
