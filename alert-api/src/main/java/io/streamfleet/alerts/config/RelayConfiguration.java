package io.streamfleet.alerts.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.alerts.intake.AlertDecoder;
import io.streamfleet.alerts.relay.RelayHandler;
import io.streamfleet.alerts.relay.RelayMetrics;
import io.streamfleet.alerts.relay.RelayRunner;
import io.streamfleet.alerts.relay.RelaySink;
import io.streamfleet.alerts.relay.binder.BindingSink;
import io.streamfleet.alerts.relay.binder.SendConfirmation;
import io.streamfleet.alerts.relay.event.CloudEventHeaders;
import io.streamfleet.alerts.relay.event.RelayRoute;
import io.streamfleet.support.kafka.KafkaClients;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.binder.BinderTypeRegistry;
import org.springframework.cloud.stream.config.BinderProperties;
import org.springframework.cloud.stream.config.BindingProperties;
import org.springframework.cloud.stream.config.BindingServiceProperties;
import org.springframework.cloud.stream.binding.BindingService;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Relays: one {@link RelayRunner} per configured relay, each with its own consumer group, thread and Spring Cloud
 * Stream output binding ({@link BindingSink}). Every relay's binding is checked at start-up, so a typo fails the start
 * with the property to fix instead of failing the first alert. A binding on a RabbitMQ binder waits for publisher
 * confirms (a {@link SendConfirmation.Factory} from {@code RabbitRelayConfiguration}, built only with {@code -Prabbit}:
 * the default build has no Spring AMQP).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RelayProperties.class)
class RelayConfiguration {

    private static final String RABBIT_TYPE = "rabbit";

    @Bean
    RelayRunners relayRunners(RelayProperties properties, AlertApiProperties alerts, KafkaClients clients,
                              AlertDecoder decoder, BindingService bindingService, BindingServiceProperties bindings,
                              BinderTypeRegistry binderTypes, MeterRegistry registry,
                              ObjectProvider<SendConfirmation.Factory> rabbitConfirms) {
        List<RelayRoute> routes = properties.routes();
        routes.forEach(route -> checkBinding(route, bindings, binderTypes.getAll().keySet()));
        CloudEventHeaders cloudEvents = new CloudEventHeaders(properties.source());
        List<RelayRunner> runners = new ArrayList<>();
        List<RelaySink> sinks = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            RelayRoute route = routes.get(i);
            RelayMetrics metrics = new RelayMetrics(route.name(), registry);
            RelaySink sink = new BindingSink(bindingService, route.binding(), properties.bindTimeout(),
                    confirmation(route.binding(), bindings, rabbitConfirms.getIfAvailable(),
                            properties.confirmTimeout()));
            sinks.add(sink);
            RelayHandler handler = new RelayHandler(route, decoder, cloudEvents, sink, metrics);
            runners.add(new RelayRunner(handler, clients, properties.groupPrefix() + route.name(),
                    properties.relays().get(i).autoOffsetReset(), List.of(alerts.anomalyTopic(),
                    alerts.engagementTopic()), metrics, properties.initialBackoff(), properties.maxBackoff()));
        }
        return new RelayRunners(runners, sinks);
    }

    static void checkBinding(RelayRoute route, BindingServiceProperties bindings, Set<String> binderTypes) {
        BindingProperties binding = bindings.getBindings().get(route.binding());
        String relay = "relay '" + route.name() + "'";
        if (binding == null || binding.getDestination() == null || binding.getDestination().isBlank()) {
            throw new IllegalStateException(relay + " names binding '" + route.binding() + "', which has no "
                    + "destination: set spring.cloud.stream.bindings." + route.binding() + ".destination (and .binder "
                    + "for a binder other than the default)");
        }
        String binder = binding.getBinder();
        if (binder != null && !bindings.getBinders().containsKey(binder) && !binderTypes.contains(binder)) {
            throw new IllegalStateException(relay + ": binding '" + route.binding() + "' names binder '" + binder
                    + "', which is neither configured under spring.cloud.stream.binders nor a binder type on the "
                    + "classpath " + new TreeSet<>(binderTypes));
        }
    }

    /** Publisher confirms for a binding whose binder is of type rabbit; nothing to add for the others (Kafka: sync). */
    static SendConfirmation confirmation(String binding, BindingServiceProperties bindings,
                                         SendConfirmation.Factory rabbitConfirms, Duration timeout) {
        if (rabbitConfirms == null || !RABBIT_TYPE.equals(binderType(binding, bindings))) {
            return SendConfirmation.NONE;
        }
        return rabbitConfirms.forBinding(binding, timeout);
    }

    /** The type of the binder a binding uses: its own or the default binder, a configured binder's type or the name. */
    static String binderType(String binding, BindingServiceProperties bindings) {
        BindingProperties properties = bindings.getBindings().get(binding);
        String binder = properties != null && properties.getBinder() != null ? properties.getBinder()
                : bindings.getDefaultBinder();
        if (binder == null) {
            return null;
        }
        BinderProperties configured = bindings.getBinders().get(binder);
        return configured != null && configured.getType() != null ? configured.getType() : binder;
    }

    /**
     * The relays' lifecycle (default, highest phase): started once everything else runs, stopped first on shutdown, so
     * each relay commits what its destination confirmed before the web server and the bindings close.
     */
    static final class RelayRunners implements SmartLifecycle {

        private final List<RelayRunner> runners;
        private final List<RelaySink> sinks;
        private volatile boolean running;

        RelayRunners(List<RelayRunner> runners, List<RelaySink> sinks) {
            this.runners = runners;
            this.sinks = sinks;
        }

        List<RelayRunner> runners() {
            return runners;
        }

        @Override
        public void start() {
            runners.forEach(RelayRunner::start);
            running = true;
        }

        @Override
        public void stop() {
            running = false;
            // tell every relay first, then wait for all within one deadline: a slow destination delays the stop once
            runners.forEach(RelayRunner::stop);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            for (RelayRunner runner : runners) {
                try {
                    runner.awaitStopped(Duration.ofNanos(deadline - System.nanoTime()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            sinks.forEach(RelaySink::close);
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }
}
