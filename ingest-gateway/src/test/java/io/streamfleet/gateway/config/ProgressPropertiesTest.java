package io.streamfleet.gateway.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProgressPropertiesTest {

    @Test
    void shouldNameEachProcessGwAndEightRandomHexDigitsWhenNoInstanceIdIsSet() {
        GatewayProperties.Progress one = new GatewayProperties.Progress(true, Duration.ofMillis(200), null);
        GatewayProperties.Progress two = new GatewayProperties.Progress(true, Duration.ofMillis(200), " ");

        assertThat(one.instanceId()).matches("gw-[0-9a-f]{8}");
        assertThat(two.instanceId()).matches("gw-[0-9a-f]{8}").isNotEqualTo(one.instanceId());
    }

    @Test
    void shouldKeepTheConfiguredInstanceIdWhenSet() {
        assertThat(new GatewayProperties.Progress(true, Duration.ofMillis(200), "ingest-gateway-7d9f-x2").instanceId())
                .isEqualTo("ingest-gateway-7d9f-x2");
    }

    @Test
    void shouldFailStartUpNamingTheSettingWhenIntervalIsNotPositive() {
        assertThatThrownBy(() -> new GatewayProperties.Progress(true, Duration.ZERO, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streamfleet.gateway.progress.interval");
        assertThatThrownBy(() -> new GatewayProperties.Progress(true, Duration.ofMillis(-1), null))
                .hasMessageContaining("streamfleet.gateway.progress.interval");
    }

    @Test
    void shouldFailStartUpNamingTheSettingWhenInstanceIdIsUnusable() {
        assertThatThrownBy(() -> new GatewayProperties.Progress(true, Duration.ofMillis(200), "gw\n1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streamfleet.gateway.progress.instance-id");
        assertThatThrownBy(() -> new GatewayProperties.Progress(true, Duration.ofMillis(200), "x".repeat(129)))
                .hasMessageContaining("streamfleet.gateway.progress.instance-id");
        // the single-event producer writes under the id + ".single", which must fit the 128 characters of a mark
        assertThatThrownBy(() -> new GatewayProperties.Progress(true, Duration.ofMillis(200), "x".repeat(122)))
                .hasMessageContaining("streamfleet.gateway.progress.instance-id");
        assertThat(new GatewayProperties.Progress(true, Duration.ofMillis(200), "x".repeat(121)).instanceId())
                .hasSize(121);
    }
}
