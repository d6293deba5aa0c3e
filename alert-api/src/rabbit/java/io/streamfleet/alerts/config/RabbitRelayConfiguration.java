package io.streamfleet.alerts.config;

import io.streamfleet.alerts.relay.binder.SendConfirmation;
import io.streamfleet.alerts.relay.binder.rabbit.RabbitPublisherConfirms;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Built only with {@code -Prabbit} (source folder {@code src/rabbit/java}): relays on a RabbitMQ binder wait for
 * publisher confirms. The default build has neither this class nor Spring AMQP.
 */
@Configuration(proxyBeanMethods = false)
class RabbitRelayConfiguration {

    @Bean
    SendConfirmation.Factory rabbitPublisherConfirms() {
        return RabbitPublisherConfirms::new;
    }
}
