package io.streamfleet.alerts.config;

import io.streamfleet.alerts.alert.AlertFilter;
import io.streamfleet.alerts.relay.event.RelayRoute;
import io.streamfleet.contracts.alert.AlertType;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code streamfleet.relay.*}: relays forwarding alerts to Spring Cloud Stream output bindings. None unless configured.
 *
 * @param relays         the relays
 * @param source         {@code ce_source} of every relayed alert
 * @param groupPrefix    each relay's consumer group is this prefix plus its name
 * @param initialBackoff wait before the first retry of a failed send (doubles per failure)
 * @param maxBackoff     upper bound of that wait
 * @param bindTimeout    how long a send waits for its output binding to be created before it counts as failed
 * @param confirmTimeout how long a send to a RabbitMQ binding waits for the publisher confirm before it counts as failed
 */
@ConfigurationProperties("streamfleet.relay")
public record RelayProperties(
        @DefaultValue List<Relay> relays,
        @DefaultValue("/streamfleet/alert-api") String source,
        @DefaultValue("alert-api-relay-") String groupPrefix,
        @DefaultValue("1s") Duration initialBackoff,
        @DefaultValue("30s") Duration maxBackoff,
        @DefaultValue("10s") Duration bindTimeout,
        @DefaultValue("10s") Duration confirmTimeout) {

    /**
     * @param name            relay name: metrics tag {@code relay}, consumer group suffix
     * @param binding         output binding ({@code spring.cloud.stream.bindings.<binding>.destination} / {@code .binder})
     * @param filters         which alerts, as for webhook subscriptions (empty = all)
     * @param autoOffsetReset where the relay's consumer group starts the first time: latest or earliest
     */
    public record Relay(String name, String binding, @DefaultValue Filters filters,
                        @DefaultValue("latest") String autoOffsetReset) {
    }

    /** Filters as for webhook subscriptions; unset = any. */
    public record Filters(@DefaultValue List<AlertType> types, String accountId, String symbol, String userId) {
    }

    /** The relays as routes, in configuration order; an invalid relay fails start-up naming its index and property. */
    public List<RelayRoute> routes() {
        Set<String> names = new HashSet<>();
        return java.util.stream.IntStream.range(0, relays.size()).mapToObj(i -> {
            Relay relay = relays.get(i);
            String at = "streamfleet.relay.relays[" + i + "].";
            if (!Set.of("latest", "earliest").contains(relay.autoOffsetReset())) {
                throw new IllegalArgumentException(at + "auto-offset-reset: '" + relay.autoOffsetReset()
                        + "' is neither latest nor earliest");
            }
            try {
                RelayRoute route = new RelayRoute(relay.name(), relay.binding(), new AlertFilter(
                        Set.copyOf(relay.filters().types()), relay.filters().accountId(), relay.filters().symbol(),
                        relay.filters().userId()));
                if (!names.add(route.name())) {
                    throw new IllegalArgumentException("name: '" + route.name() + "' is used by another relay");
                }
                return route;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + e.getMessage(), e);
            }
        }).toList();
    }
}
