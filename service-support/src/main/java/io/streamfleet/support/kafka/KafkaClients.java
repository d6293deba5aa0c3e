package io.streamfleet.support.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

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
 */
public final class KafkaClients {

    /** security.protocol, sasl.* and ssl.*, also behind a Streams client prefix such as {@code consumer.}. */
    private static final Pattern SECURITY_KEY = Pattern.compile("(^|\\.)(security\\.protocol$|sasl\\.|ssl\\.)");

    private final Map<String, Object> producer;
    private final Map<String, Object> consumer;
    private final Map<String, Object> admin;
    private final Map<String, Object> streams;

    private KafkaClients(Map<String, Object> producer, Map<String, Object> consumer, Map<String, Object> admin,
                         Map<String, Object> streams) {
        this.producer = Map.copyOf(producer);
        this.consumer = Map.copyOf(consumer);
        this.admin = Map.copyOf(admin);
        this.streams = Map.copyOf(streams);
    }

    /** Clients configured by {@code spring.kafka.*}. */
    public static KafkaClients from(KafkaProperties properties) {
        return new KafkaClients(properties.buildProducerProperties(), properties.buildConsumerProperties(),
                properties.buildAdminProperties(), properties.buildStreamsProperties());
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
        return new KafkaProducer<>(producerConfig(required), keys, values);
    }

    public <K, V> KafkaConsumer<K, V> consumer(Map<String, ?> required, Deserializer<K> keys,
                                               Deserializer<V> values) {
        return new KafkaConsumer<>(consumerConfig(required), keys, values);
    }

    public Admin admin(Map<String, ?> required) {
        return Admin.create(adminConfig(required));
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
        return Admin.create(new StreamsConfig(streamsConfig).getAdminConfigs(clientId));
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
}
