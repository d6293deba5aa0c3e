package io.streamfleet.gateway.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarmUpPropertiesTest {

    @Test
    void shouldBeOffWithA20SecondAnd100000RequestBudgetByDefault() {
        GatewayProperties.WarmUp defaults = new GatewayProperties.WarmUp(false, Duration.ofSeconds(20), 100_000, 16,
                "gateway.warm-up");

        assertThat(defaults.budget().maxTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(defaults.warmsProducer()).isTrue();
    }

    @Test
    void shouldFailStartUpNamingTheSettingWhenABoundIsUnusable() {
        assertThatThrownBy(() -> new GatewayProperties.WarmUp(true, Duration.ofSeconds(20), 0, 16, "w"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streamfleet.gateway.warm-up.requests");
        assertThatThrownBy(() -> new GatewayProperties.WarmUp(true, Duration.ZERO, 10, 16, "w"))
                .hasMessageContaining("streamfleet.gateway.warm-up.max-time");
        assertThatThrownBy(() -> new GatewayProperties.WarmUp(true, Duration.ofSeconds(1), 10, 0, "w"))
                .hasMessageContaining("streamfleet.gateway.warm-up.concurrency");
    }

    @Test
    void shouldWarmOnlyTheHttpPathWhenTheTopicIsEmpty() {
        assertThat(new GatewayProperties.WarmUp(true, Duration.ofSeconds(5), 10, 1, " ").warmsProducer()).isFalse();
        assertThat(new GatewayProperties.WarmUp(true, Duration.ofSeconds(5), 10, 1, null).warmsProducer()).isFalse();
    }

    @Test
    void shouldFailStartUpWhenTheTopicIsNotALegalTopicName() {
        assertThatThrownBy(() -> new GatewayProperties.WarmUp(true, Duration.ofSeconds(5), 10, 1, "warm up!"))
                .hasMessageContaining("streamfleet.gateway.warm-up.topic");
    }

    @Test
    void shouldFailStartUpWhenTheWarmUpTopicIsADomainTopic() {
        GatewayProperties.Topics topics = new GatewayProperties.Topics("orders.raw", "engagement.raw");
        for (String domain : new String[] {"orders.raw", "engagement.raw"}) {
            GatewayProperties.WarmUp warmUp = new GatewayProperties.WarmUp(true, Duration.ofSeconds(5), 10, 1, domain);
            assertThatThrownBy(() -> properties(topics, warmUp))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("streamfleet.gateway.warm-up.topic must not be a domain topic");
        }
    }

    private static GatewayProperties properties(GatewayProperties.Topics topics, GatewayProperties.WarmUp warmUp) {
        return new GatewayProperties(org.springframework.util.unit.DataSize.ofMegabytes(1), 1000, 8, 4096,
                Duration.ofMinutes(5), topics, null, null, null, warmUp);
    }
}
