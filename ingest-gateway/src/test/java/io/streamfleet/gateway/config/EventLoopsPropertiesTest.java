package io.streamfleet.gateway.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code streamfleet.gateway.event-loops.*}: defaults, and invalid values named at start-up. */
class EventLoopsPropertiesTest {

    @Test
    void shouldDefaultToReactorNettysWorkerCountAndATenMillisecondProbe() {
        GatewayProperties.EventLoops defaults = GatewayProperties.EventLoops.DEFAULTS;
        assertThat(defaults.workers()).as("0 = Reactor Netty's own count").isZero();
        assertThat(defaults.lagProbe()).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void shouldRefuseANegativeWorkerCountNamingTheSetting() {
        assertThatThrownBy(() -> new GatewayProperties.EventLoops(-1, Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streamfleet.gateway.event-loops.workers must be >= 0, was -1");
    }

    @Test
    void shouldRefuseAProbeIntervalBelowOneMillisecondNamingTheSetting() {
        assertThatThrownBy(() -> new GatewayProperties.EventLoops(4, Duration.ofNanos(500_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streamfleet.gateway.event-loops.lag-probe must be at least 1ms");
        assertThatThrownBy(() -> new GatewayProperties.EventLoops(4, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event-loops.lag-probe");
    }
}
