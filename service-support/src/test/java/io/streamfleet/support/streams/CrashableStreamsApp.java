package io.streamfleet.support.streams;

import io.streamfleet.support.kafka.KafkaClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A managed Streams app in a process of its own, so a test can SIGKILL it: no close, no commit, no clean-shutdown
 * marker, an open transaction left behind, a group member that stops heart-beating. In-JVM the state directory lock
 * and the threads would outlive a simulated crash.
 * <p>
 * Arguments: {@code bootstrap applicationId stateDir instanceId|- input output stallValue|- [key=value overrides]}.
 * A record whose value is the stall value is written to the output (inside the open transaction) and then blocks
 * the stream thread for good, so the transaction stays open until the process dies.
 */
final class CrashableStreamsApp {

    static final String STORE = "recovery-counts";
    private static final String NONE = "-";

    private CrashableStreamsApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> overrides = new HashMap<>();
        for (String kv : Arrays.copyOfRange(args, 7, args.length)) {
            String[] parts = kv.split("=", 2);
            overrides.put(parts[0], parts[1]);
        }
        StreamsRuntimeProperties settings = settings(args[0], args[1], Path.of(args[2]),
                NONE.equals(args[3]) ? null : args[3], overrides);
        new ManagedKafkaStreams(topology(args[4], args[5], NONE.equals(args[6]) ? null : args[6]), settings,
                KafkaClients.forBootstrapServers(settings.bootstrapServers()), new SimpleMeterRegistry()).start();
        Thread.currentThread().join();
    }

    /** Starts the app in a child JVM with the test classpath; its output goes to {@code log}. */
    static Process launch(Path log, String bootstrap, String applicationId, Path stateDir, String instanceId,
                          String input, String output, String stallValue, Map<String, String> overrides)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                CrashableStreamsApp.class.getName(), bootstrap, applicationId, stateDir.toString(),
                instanceId == null ? NONE : instanceId, input, output, stallValue == null ? NONE : stallValue));
        overrides.forEach((k, v) -> command.add(k + "=" + v));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static StreamsRuntimeProperties settings(String bootstrap, String applicationId, Path stateDir, String instanceId,
                                             Map<String, String> overrides) {
        return new StreamsRuntimeProperties(applicationId, bootstrap, stateDir.toString(), 1, Duration.ofMillis(100),
                (short) 1, 8 * 1024 * 1024, 2 * 1024 * 1024, "INFO", "", Duration.ofSeconds(10), overrides,
                instanceId);
    }

    /** Copies input to output and counts per key in a persistent store (Streams persists its process id only then). */
    static Topology topology(String input, String output, String stallValue) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> in = builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()));
        in.to(output, Produced.with(Serdes.String(), Serdes.String()));
        in.groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        if (stallValue != null) {
            in.foreach((key, value) -> {
                if (stallValue.equals(value)) {
                    stallForever();
                }
            });
        }
        return builder.build();
    }

    private static void stallForever() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
