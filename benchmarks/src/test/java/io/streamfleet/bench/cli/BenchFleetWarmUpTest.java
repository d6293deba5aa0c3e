package io.streamfleet.bench.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BenchFleetWarmUpTest {

    @Test
    void shouldTurnTheGatewaysWarmUpOnWhenNothingDecidesIt() {
        assertThat(BenchFleetWarmUp.gatewayOption(Map.of(), null))
                .contains("-Dstreamfleet.gateway.warm-up.enabled=true");
        assertThat(BenchFleetWarmUp.gatewayOption(Map.of(), " ")).isPresent();
    }

    @Test
    void shouldLeaveItToTheEnvironmentOrToGatewayOptionsOfTheUsersOwn() {
        assertThat(BenchFleetWarmUp.gatewayOption(Map.of("STREAMFLEET_GATEWAY_WARM_UP_ENABLED", "false"), null))
                .as("the environment reaches the gateway as it is").isEmpty();
        assertThat(BenchFleetWarmUp.gatewayOption(Map.of(), "-XX:TieredStopAtLevel=1"))
                .as("the user's own gateway options are not extended").isEmpty();
    }
}
