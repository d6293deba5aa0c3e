package io.streamfleet.support.streams;

import io.streamfleet.support.kafka.KafkaClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.testkit.process.ServiceProcess;
import io.streamfleet.testkit.process.ServiceProcessBuilder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

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
 * The topology is a deduplication by value over a persistent window store, like stream-processor's dedup: a value
 * seen before is dropped, so a store that kept a write of an aborted transaction loses that record on replay (KI-3).
 * <p>
 * Arguments: {@code bootstrap applicationId stateDir instanceId|- input output stallValue|- [key=value overrides]}.
 * A record whose value is the stall value is stored and written to the output (inside the open transaction), then
 * {@value #PADDING_RECORDS} padding records of {@value #PADDING_BYTES} bytes are stored so RocksDB flushes its
 * memtables (the aborted write reaches disk), then the stream thread blocks for good, so the transaction stays open
 * until the process dies.
 */
final class CrashableStreamsApp {

    static final String STORE = "recovery-seen";
    static final int PADDING_RECORDS = 128;
    static final int PADDING_BYTES = 64 * 1024;
    private static final Duration HORIZON = Duration.ofHours(1);
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

    /** The app in a child JVM with the test class path (SIGKILL-able); start it through {@code ServiceProcesses}. */
    static ServiceProcessBuilder process(String bootstrap, String applicationId, Path stateDir, String instanceId,
                                         String input, String output, String stallValue, Map<String, String> overrides) {
        List<String> args = new ArrayList<>(List.of(bootstrap, applicationId, stateDir.toString(),
                instanceId == null ? NONE : instanceId, input, output, stallValue == null ? NONE : stallValue));
        overrides.forEach((k, v) -> args.add(k + "=" + v));
        return ServiceProcess.mainClass(CrashableStreamsApp.class)
                .jvmArgs("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                .args(args.toArray(String[]::new));
    }

    static StreamsRuntimeProperties settings(String bootstrap, String applicationId, Path stateDir, String instanceId,
                                             Map<String, String> overrides) {
        return new StreamsRuntimeProperties(applicationId, bootstrap, stateDir.toString(), 1, Duration.ofMillis(100),
                (short) 1, 8 * 1024 * 1024, 2 * 1024 * 1024, "INFO", "", Duration.ofSeconds(10), overrides,
                instanceId);
    }

    /** Forwards each value the first time it is seen (persistent store, so Streams persists its process id too). */
    static Topology topology(String input, String output, String stallValue) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(STORE, HORIZON.multipliedBy(2), HORIZON, false),
                Serdes.String(), Serdes.String()));
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .process(() -> new FirstSeen(stallValue), Named.as("recovery-dedup"), STORE)
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        return builder.build();
    }

    /** Keeps a record whose value the store has not seen within the horizon; stalls on the stall value. */
    private static final class FirstSeen implements Processor<String, String, String, String> {

        private final String stallValue;
        private ProcessorContext<String, String> context;
        private WindowStore<String, String> seen;

        FirstSeen(String stallValue) {
            this.stallValue = stallValue;
        }

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            this.seen = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, String> record) {
            long time = record.timestamp();
            try (WindowStoreIterator<String> earlier = seen.fetch(record.value(), time - HORIZON.toMillis(),
                    time + HORIZON.toMillis())) {
                if (earlier.hasNext()) {
                    return;
                }
            }
            seen.put(record.value(), record.key(), time);
            context.forward(record);
            if (record.value().equals(stallValue)) {
                String padding = "p".repeat(PADDING_BYTES);
                for (int i = 0; i < PADDING_RECORDS; i++) {
                    seen.put("padding-" + i, padding, time);
                }
                stallForever();
            }
        }
    }

    private static void stallForever() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
