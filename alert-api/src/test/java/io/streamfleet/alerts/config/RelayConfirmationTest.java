package io.streamfleet.alerts.config;

import io.streamfleet.alerts.relay.binder.SendConfirmation;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.stream.config.BinderProperties;
import org.springframework.cloud.stream.config.BindingProperties;
import org.springframework.cloud.stream.config.BindingServiceProperties;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Which relay bindings wait for RabbitMQ publisher confirms: those whose binder is of type rabbit, and only those. */
class RelayConfirmationTest {

    private static final SendConfirmation RABBIT = message -> () -> { };
    private static final SendConfirmation.Factory FACTORY = (binding, timeout) -> RABBIT;

    private final BindingServiceProperties bindings = new BindingServiceProperties();

    @Test
    void shouldWaitForPublisherConfirmsWhenTheBindingNamesTheRabbitBinder() {
        bind("relay-ops", "rabbit");

        assertThat(confirmation("relay-ops", FACTORY)).isSameAs(RABBIT);
    }

    @Test
    void shouldWaitForPublisherConfirmsWhenTheBindingNamesAConfiguredBinderOfTypeRabbit() {
        BinderProperties ops = new BinderProperties();
        ops.setType("rabbit");
        bindings.getBinders().put("ops-broker", ops);
        bind("relay-ops", "ops-broker");

        assertThat(confirmation("relay-ops", FACTORY)).isSameAs(RABBIT);
    }

    @Test
    void shouldWaitForPublisherConfirmsWhenTheDefaultBinderIsRabbit() {
        bindings.setDefaultBinder("rabbit");
        bind("relay-ops", null);

        assertThat(confirmation("relay-ops", FACTORY)).isSameAs(RABBIT);
    }

    @Test
    void shouldAddNothingWhenTheBindingIsOnKafka() {
        bindings.setDefaultBinder("kafka");
        bind("relay-audit", null);
        bind("relay-other", "kafka");

        assertThat(confirmation("relay-audit", FACTORY)).isSameAs(SendConfirmation.NONE);
        assertThat(confirmation("relay-other", FACTORY)).isSameAs(SendConfirmation.NONE);
    }

    @Test
    void shouldAddNothingWhenTheBuildHasNoRabbitSupport() {
        bind("relay-ops", "rabbit");

        assertThat(confirmation("relay-ops", null)).isSameAs(SendConfirmation.NONE);
    }

    private SendConfirmation confirmation(String binding, SendConfirmation.Factory factory) {
        return RelayConfiguration.confirmation(binding, bindings, factory, Duration.ofSeconds(1));
    }

    private void bind(String binding, String binder) {
        BindingProperties properties = new BindingProperties();
        properties.setDestination(binding + "-destination");
        properties.setBinder(binder);
        bindings.getBindings().put(binding, properties);
    }
}
