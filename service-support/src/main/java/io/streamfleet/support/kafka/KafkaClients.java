package io.streamfleet.support.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The only place where the services build Kafka clients (an ArchUnit rule in the testkit forbids the constructors
 * elsewhere). Every client starts from Spring Boot's {@code spring.kafka.*} ({@link KafkaProperties}: bootstrap
 * servers, security protocol, SASL, TLS stores, client id, {@code spring.kafka.properties.*} and the client's own
 * {@code producer / consumer / admin / streams} section); the caller's required settings (acks, isolation level,
 * timeouts its logic depends on) are laid over that. Security never comes from the caller: a required setting that
 * would change one is refused, so a client cannot silently connect in plaintext next to its secured siblings.
 * With a {@link MeterRegistry} ({@link #withMetrics}) every producer, consumer and admin client it builds exports its
 * Kafka metrics ({@code kafka_producer_*}, {@code kafka_consumer_*}, {@code kafka_admin_client_*}) until it is closed;
 * Kafka Streams clients are bound by their owner (StreamsMeters).
 */
public final class KafkaClients {

    /** security.protocol, sasl.* and ssl.*, also behind a Streams client prefix such as {@code consumer.}. */
    private static final Pattern SECURITY_KEY = Pattern.compile("(^|\\.)(security\\.protocol$|sasl\\.|ssl\\.)");

    private final Map<String, Object> producer;
    private final Map<String, Object> consumer;
    private final Map<String, Object> admin;
    private final Map<String, Object> streams;
    private final MeterRegistry registry;

    private KafkaClients(Map<String, Object> producer, Map<String, Object> consumer, Map<String, Object> admin,
                         Map<String, Object> streams, MeterRegistry registry) {
        this.producer = Map.copyOf(producer);
        this.consumer = Map.copyOf(consumer);
        this.admin = Map.copyOf(admin);
        this.streams = Map.copyOf(streams);
        this.registry = registry;
    }

    /** Clients configured by {@code spring.kafka.*}. */
    public static KafkaClients from(KafkaProperties properties) {
        return new KafkaClients(properties.buildProducerProperties(), properties.buildConsumerProperties(),
                properties.buildAdminProperties(), properties.buildStreamsProperties(), null);
    }

    /** The same clients, each binding its Kafka metrics to {@code registry} while it is open. */
    public KafkaClients withMetrics(MeterRegistry registry) {
        return new KafkaClients(producer, consumer, admin, streams, Objects.requireNonNull(registry));
    }

    /**
     * Plaintext clients of {@code bootstrapServers} with every other {@code spring.kafka.*} default: for tests and
     * tools that run beside a local broker. The services get theirs from the application context.
     */
    public static KafkaClients forBootstrapServers(String bootstrapServers) {
        KafkaProperties properties = new KafkaProperties();
        properties.setBootstrapServers(List.of(bootstrapServers.split(",")));
        return from(properties);
    }

    public Map<String, Object> producerConfig(Map<String, ?> required) {
        return merge(producer, required);
    }

    public Map<String, Object> consumerConfig(Map<String, ?> required) {
        return merge(consumer, required);
    }

    public Map<String, Object> adminConfig(Map<String, ?> required) {
        return merge(admin, required);
    }

    /** Kafka Streams settings: {@code spring.kafka.streams.*} (and the common settings) under the required ones. */
    public Properties streamsConfig(Map<String, ?> required) {
        Properties props = new Properties();
        props.putAll(merge(streams, required));
        return props;
    }

    public <K, V> KafkaProducer<K, V> producer(Map<String, ?> required, Serializer<K> keys, Serializer<V> values) {
        return registry == null ? new KafkaProducer<>(producerConfig(required), keys, values)
                : new MeteredProducer<>(producerConfig(required), keys, values, registry);
    }

    public <K, V> KafkaConsumer<K, V> consumer(Map<String, ?> required, Deserializer<K> keys,
                                               Deserializer<V> values) {
        return registry == null ? new KafkaConsumer<>(consumerConfig(required), keys, values)
                : new MeteredConsumer<>(consumerConfig(required), keys, values, registry);
    }

    public Admin admin(Map<String, ?> required) {
        return metered(Admin.create(adminConfig(required)));
    }

    /** A Streams client; {@code config} must come from {@link #streamsConfig} (the StreamsConfigFactory does that). */
    public KafkaStreams streams(Topology topology, Properties config) {
        return new KafkaStreams(topology, config);
    }

    /**
     * An admin client with the settings Kafka Streams gives its own admin client ({@code admin.*} overrides and the
     * common settings, security included) for work Streams does not do itself, e.g. removing a dead static member.
     */
    public Admin streamsAdmin(Properties streamsConfig, String clientId) {
        return metered(Admin.create(new StreamsConfig(streamsConfig).getAdminConfigs(clientId)));
    }

    /** The admin client behind a proxy that also unbinds its metrics when it is closed. */
    private Admin metered(Admin admin) {
        if (registry == null || !(admin instanceof AdminClient client)) {
            return admin;
        }
        KafkaClientMetrics metrics = new KafkaClientMetrics(client);
        metrics.bindTo(registry);
        return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class},
                (proxy, method, args) -> {
                    try {
                        return method.invoke(admin, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (method.getName().equals("close")) {
                            metrics.close();
                        }
                    }
                });
    }

    private static Map<String, Object> merge(Map<String, Object> base, Map<String, ?> required) {
        Map<String, Object> config = new HashMap<>(base);
        required.forEach((key, value) -> {
            if (SECURITY_KEY.matcher(key).find() && !sameValue(base.get(key), value)) {
                throw new IllegalArgumentException("Kafka client setting " + key + " cannot be set in code or in "
                        + "streamfleet.* overrides: security settings come only from spring.kafka.*");
            }
            config.put(key, value);
        });
        // spring.kafka.client-id names the application; each client keeps its own name after it, so metrics and
        // broker quotas can still tell the clients of one process apart
        Object prefix = base.get(CommonClientConfigs.CLIENT_ID_CONFIG);
        Object own = required.get(CommonClientConfigs.CLIENT_ID_CONFIG);
        if (prefix != null && own != null && !sameValue(prefix, own)) {
            config.put(CommonClientConfigs.CLIENT_ID_CONFIG, prefix + "-" + own);
        }
        return config;
    }

    private static boolean sameValue(Object a, Object b) {
        return Objects.equals(a == null ? null : String.valueOf(a), b == null ? null : String.valueOf(b));
    }

    /** A producer whose metrics are bound from construction until it is closed. */
    private static final class MeteredProducer<K, V> extends KafkaProducer<K, V> {
        private final KafkaClientMetrics metrics;

        MeteredProducer(Map<String, Object> config, Serializer<K> keys, Serializer<V> values, MeterRegistry registry) {
            super(config, keys, values);
            metrics = new KafkaClientMetrics(this);
            metrics.bindTo(registry);
        }

        @Override
        public void close() {
            try {
                super.close();
            } finally {
                metrics.close();
            }
        }

        @Override
        public void close(Duration timeout) {
            try {
                super.close(timeout);
            } finally {
                metrics.close();
            }
        }
    }

    /** A consumer whose metrics are bound from construction until it is closed. */
    private static final class MeteredConsumer<K, V> extends KafkaConsumer<K, V> {
        private final KafkaClientMetrics metrics;

        MeteredConsumer(Map<String, Object> config, Deserializer<K> keys, Deserializer<V> values,
                        MeterRegistry registry) {
            super(config, keys, values);
            metrics = new KafkaClientMetrics(this);
            metrics.bindTo(registry);
        }

        @Override
        public void close() {
            try {
                super.close();
            } finally {
                metrics.close();
            }
        }

        @Override
        @SuppressWarnings("deprecation")
        public void close(Duration timeout) {
            try {
                super.close(timeout);
            } finally {
                metrics.close();
            }
        }

        @Override
        public void close(org.apache.kafka.clients.consumer.CloseOptions options) {
            try {
                super.close(options);
            } finally {
                metrics.close();
            }
        }
    }
}
