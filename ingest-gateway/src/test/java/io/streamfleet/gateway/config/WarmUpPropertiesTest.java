package io.streamfleet.gateway.config;

import io.streamfleet.gateway.warmup.SettleRule;
import io.streamfleet.gateway.warmup.WarmUpBudget;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarmUpPropertiesTest {

    @Test
    void shouldBeOffWithA60SecondAnd100000RequestBudgetAndEndOnEvidenceByDefault() {
        GatewayProperties.WarmUp defaults = bound(Map.of()).warmUp();

        assertThat(defaults.enabled()).isFalse();
        assertThat(defaults.budget()).isEqualTo(new WarmUpBudget(100_000, Duration.ofSeconds(60), 16));
        assertThat(defaults.warmsProducer()).isTrue();
        assertThat(defaults.settleRule()).isEqualTo(new SettleRule(Duration.ofSeconds(1), 3, Duration.ofSeconds(5),
                10, 10, 10, 10));
    }

    @Test
    void shouldBindTheSettleRuleAndRunToTheBudgetWhenItIsSwitchedOff() {
        GatewayProperties.WarmUp custom = bound(Map.of("streamfleet.gateway.warm-up.settle.window", "500ms",
                "streamfleet.gateway.warm-up.settle.windows", "4",
                "streamfleet.gateway.warm-up.settle.min-time", "8s",
                "streamfleet.gateway.warm-up.settle.rise-percent", "5",
                "streamfleet.gateway.warm-up.settle.jit-busy-percent", "2.5",
                "streamfleet.gateway.warm-up.settle.cost-windows", "6",
                "streamfleet.gateway.warm-up.settle.cost-fall-percent", "3")).warmUp();
        GatewayProperties.WarmUp off = bound(Map.of("streamfleet.gateway.warm-up.settle.enabled", "false")).warmUp();

        assertThat(custom.settleRule()).isEqualTo(new SettleRule(Duration.ofMillis(500), 4, Duration.ofSeconds(8),
                5, 2.5, 6, 3));
        assertThat(off.settleRule()).isNull();
    }

    @Test
    void shouldFailStartUpNamingTheSettingWhenTheSettleRuleIsUnusable() {
        assertThatThrownBy(() -> new GatewayProperties.Settle(true, Duration.ofMillis(50), 3, Duration.ZERO, 10, 10, 10, 10))
                .hasMessageContaining("streamfleet.gateway.warm-up.settle.window");
        assertThatThrownBy(() -> new GatewayProperties.Settle(true, Duration.ofSeconds(1), 0, Duration.ZERO, 10, 10, 10, 10))
                .hasMessageContaining("streamfleet.gateway.warm-up.settle.windows");
        assertThatThrownBy(() -> new GatewayProperties.Settle(true, Duration.ofSeconds(1), 3, Duration.ofSeconds(-1),
                10, 10, 10, 10)).hasMessageContaining("streamfleet.gateway.warm-up.settle.min-time");
        assertThatThrownBy(() -> new GatewayProperties.Settle(true, Duration.ofSeconds(1), 3, Duration.ZERO, -1, 10, 10, 10))
                .hasMessageContaining("streamfleet.gateway.warm-up.settle.rise-percent");
        assertThatThrownBy(() -> new GatewayProperties.Settle(true, Duration.ofSeconds(1), 3, Duration.ZERO, 10,
                Double.NaN, 10, 10)).hasMessageContaining("streamfleet.gateway.warm-up.settle.jit-busy-percent");
        assertThatThrownBy(() -> new GatewayProperties.Settle(true, Duration.ofSeconds(1), 3, Duration.ZERO, 10, 10,
                10, -5)).hasMessageContaining("streamfleet.gateway.warm-up.settle.cost-fall-percent");
        assertThatThrownBy(() -> new GatewayProperties.Settle(true, Duration.ofSeconds(1), 3, Duration.ZERO, 10, 10,
                0, 10)).hasMessageContaining("streamfleet.gateway.warm-up.settle.cost-windows");
    }

    private static GatewayProperties bound(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("streamfleet.gateway", GatewayProperties.class);
    }

    @Test
    void shouldFailStartUpNamingTheSettingWhenABoundIsUnusable() {
        assertThatThrownBy(() -> new GatewayProperties.WarmUp(true, Duration.ofSeconds(20), 0, 16, "w", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streamfleet.gateway.warm-up.requests", null);
        assertThatThrownBy(() -> new GatewayProperties.WarmUp(true, Duration.ZERO, 10, 16, "w", null))
                .hasMessageContaining("streamfleet.gateway.warm-up.max-time", null);
        assertThatThrownBy(() -> new GatewayProperties.WarmUp(true, Duration.ofSeconds(1), 10, 0, "w", null))
                .hasMessageContaining("streamfleet.gateway.warm-up.concurrency", null);
    }

    @Test
    void shouldWarmOnlyTheHttpPathWhenTheTopicIsEmpty() {
        assertThat(new GatewayProperties.WarmUp(true, Duration.ofSeconds(5), 10, 1, " ", null).warmsProducer()).isFalse();
        assertThat(new GatewayProperties.WarmUp(true, Duration.ofSeconds(5), 10, 1, null, null).warmsProducer()).isFalse();
    }

    @Test
    void shouldFailStartUpWhenTheTopicIsNotALegalTopicName() {
        assertThatThrownBy(() -> new GatewayProperties.WarmUp(true, Duration.ofSeconds(5), 10, 1, "warm up!", null))
                .hasMessageContaining("streamfleet.gateway.warm-up.topic", null);
    }

    @Test
    void shouldFailStartUpWhenTheWarmUpTopicIsADomainTopic() {
        GatewayProperties.Topics topics = new GatewayProperties.Topics("orders.raw", "engagement.raw");
        for (String domain : new String[] {"orders.raw", "engagement.raw"}) {
            GatewayProperties.WarmUp warmUp = new GatewayProperties.WarmUp(true, Duration.ofSeconds(5), 10, 1, domain, null);
            assertThatThrownBy(() -> properties(topics, warmUp))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("streamfleet.gateway.warm-up.topic must not be a domain topic");
        }
    }

    private static GatewayProperties properties(GatewayProperties.Topics topics, GatewayProperties.WarmUp warmUp) {
        return new GatewayProperties(org.springframework.util.unit.DataSize.ofMegabytes(1), 1000, 8, 4096,
                Duration.ofMinutes(5), topics, null, null, null, warmUp, null);
    }
}
