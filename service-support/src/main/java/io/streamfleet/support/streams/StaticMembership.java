package io.streamfleet.support.streams;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Static group membership (KIP-345) for an instance with a stable id. A dynamic member that dies stays in the group
 * until its session times out, and its restart has to wait for that; a static member that restarts within the
 * session timeout takes its own place back, with its tasks and without a rebalance.
 * <p>
 * Kafka Streams reads {@code group.instance.id} from the main consumer's settings and appends {@code -<thread>} for
 * each stream thread; the restore and global consumers drop it. See docs/recovery.md.
 */
final class StaticMembership {

    static final String PROPERTY = "streamfleet.streams.instance-id";

    /**
     * How long a silent static member keeps its tasks. Covers a crashed process restarted in place (JVM and Spring
     * start, plus the kubelet's 10 s back-off on a repeated crash) with room to spare, and still hands a dead
     * instance's tasks to the others sooner than Kafka's 45 s default does for dynamic members.
     */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);

    /** Kafka allows 249 characters; Streams appends {@code -<thread>}. */
    static final int MAX_LENGTH = 240;

    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]+");

    private StaticMembership() {
    }

    /** Adds the instance id and session timeout, each unless the overrides already set it. */
    static void apply(Properties props, String instanceId, Map<String, String> overrides) {
        String id = validated(instanceId);
        putUnlessOverridden(props, overrides, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id);
        putUnlessOverridden(props, overrides, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                (int) SESSION_TIMEOUT.toMillis());
    }

    /** The instance id the main consumers get from these Streams settings (Streams' precedence), if any. */
    static java.util.Optional<String> instanceIdOf(Properties props) {
        String key = ConsumerConfig.GROUP_INSTANCE_ID_CONFIG;
        for (String k : new String[]{StreamsConfig.mainConsumerPrefix(key), StreamsConfig.consumerPrefix(key), key}) {
            Object value = props.get(k);
            if (value != null && !String.valueOf(value).isEmpty()) {
                return java.util.Optional.of(String.valueOf(value));
            }
        }
        return java.util.Optional.empty();
    }

    static String validated(String instanceId) {
        if (instanceId.isEmpty() || instanceId.length() > MAX_LENGTH || !LEGAL.matcher(instanceId).matches()) {
            throw new IllegalArgumentException(PROPERTY + " (STREAMFLEET_STREAMS_INSTANCE_ID) must be 1 to "
                    + MAX_LENGTH + " characters of A-Z, a-z, 0-9, '.', '_' and '-', was '" + instanceId
                    + "'; leave it unset for dynamic group membership");
        }
        return instanceId;
    }

    /**
     * Streams takes a main-consumer setting from {@code main.consumer.x}, else {@code consumer.x}, else {@code x}: an
     * override under any of the three is the operator's choice, and ours must not shadow it.
     */
    private static void putUnlessOverridden(Properties props, Map<String, String> overrides, String key, Object value) {
        boolean overridden = overrides.containsKey(key) || overrides.containsKey(StreamsConfig.consumerPrefix(key))
                || overrides.containsKey(StreamsConfig.mainConsumerPrefix(key));
        if (!overridden) {
            props.put(StreamsConfig.mainConsumerPrefix(key), value);
        }
    }
}
