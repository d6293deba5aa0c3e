package io.streamfleet.cep.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.cep.burst.BurstPattern;
import io.streamfleet.cep.burst.BurstSettings;
import io.streamfleet.cep.burst.TrackedOrder;
import io.streamfleet.cep.engine.compile.CompiledPattern;
import io.streamfleet.cep.engine.runtime.KeyState;
import io.streamfleet.cep.engine.runtime.Matcher;
import io.streamfleet.cep.operator.CepMetrics;
import io.streamfleet.cep.operator.DetectorSettings;
import io.streamfleet.cep.topology.CepTopology;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * Throughput of the detector, not a test. Engine only: the matcher over a generated stream with many keys and many
 * partial matches (bursts of 5–14 creates, 3–10 cancels, so most candidates fail a threshold). End to end: the same
 * kind of stream through the Kafka Streams processor (TopologyTestDriver, RocksDB stores, JSON serdes).
 * <pre>
 * mvn -B -q -o -pl cep-detector test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.streamfleet.cep.bench.CepBenchmark
 * </pre>
 */
public final class CepBenchmark {

    private static final long T0 = 1_700_000_000_000L;

    private CepBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int engineEvents = Integer.parseInt(System.getProperty("cep.bench.engineEvents", "3000000"));
        int e2eEvents = Integer.parseInt(System.getProperty("cep.bench.e2eEvents", "300000"));
        int keys = Integer.parseInt(System.getProperty("cep.bench.keys", "5000"));
        int brokerEvents = Integer.parseInt(System.getProperty("cep.bench.brokerEvents", "400000"));
        System.out.printf("cep-detector benchmark, %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        if (!Boolean.getBoolean("cep.bench.brokerOnly")) {
            engine(generate(engineEvents / 3, keys, 1), 1);
            engine(generate(engineEvents, keys, 2), 3);
            endToEnd(generate(e2eEvents / 3, keys, 3));
            endToEnd(generate(e2eEvents, keys, 4));
        }
        RealBrokerRun.run(generate(brokerEvents, keys, 5));
        SharedKafkaBroker.stop();
    }

    private static void engine(List<OrderEvent> events, int round) {
        BurstPattern burst = new BurstPattern(BurstSettings.defaults());
        Matcher<TrackedOrder> matcher = new Matcher<>(CompiledPattern.compile(burst.pattern()));
        Map<String, KeyState<TrackedOrder>> states = new HashMap<>();
        long matches = 0;
        long evaluated = 0;
        long started = System.nanoTime();
        for (OrderEvent event : events) {
            KeyState<TrackedOrder> state = states.computeIfAbsent(event.key(), k -> KeyState.empty());
            matcher.process(state, TrackedOrder.of(event));
            var advance = matcher.advanceTime(state, event.eventTimeMs());
            matches += advance.matches().size();
            evaluated += advance.candidatesEvaluated();
        }
        for (KeyState<TrackedOrder> state : states.values()) {
            var advance = matcher.advanceTime(state, Long.MAX_VALUE);
            matches += advance.matches().size();
            evaluated += advance.candidatesEvaluated();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("engine%s: %,d events, %,d keys, %,d candidates evaluated, %,d matches in %.2f s = %,.0f events/s%n",
                round == 1 ? " (warm-up)" : "", events.size(), states.size(), evaluated, matches, seconds,
                events.size() / seconds);
    }

    /** In-memory stores: the driver checkpoints (flushes) stores after every record, which RocksDB pays per record. */
    private static void endToEnd(List<OrderEvent> events) throws Exception {
        boolean rocksdb = false;
        Path stateDir = Files.createTempDirectory("cep-bench");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cep-bench");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        CepTopology.Settings topics = new CepTopology.Settings(Topics.ORDERS_CLEAN.name(),
                Topics.ALERTS_ANOMALY.name(), Topics.ORDERS_CEP_LATE.name(), rocksdb);
        var topology = CepTopology.build(topics, DetectorSettings.defaults(),
                new CepMetrics(new SimpleMeterRegistry(), Topics.ORDERS_CLEAN.name()));
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props, Instant.EPOCH)) {
            TestInputTopic<String, OrderEvent> input = driver.createInputTopic(Topics.ORDERS_CLEAN.name(),
                    Topics.KEY.serializer(), Topics.ORDER_EVENT_SERDE.serializer());
            var alerts = driver.createOutputTopic(Topics.ALERTS_ANOMALY.name(), Topics.KEY.deserializer(),
                    Topics.ANOMALY_ALERT_SERDE.deserializer());
            TestInputTopic<byte[], byte[]> progress = driver.createInputTopic(Topics.ORDERS_CLEAN.name(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            long started = System.nanoTime();
            long newest = Long.MIN_VALUE;
            for (OrderEvent event : events) {
                input.pipeInput(event.key(), event, event.eventTimeMs());
                newest = Math.max(newest, event.eventTimeMs());
            }
            // stream-processor's closing mark: the tail is evaluated as if the input had gone quiet
            progress.pipeInput(new TestRecord<>(null, null, ProgressRecords.headers(
                    ProgressMark.streamTime("stream-processor", newest + 30_000)), Instant.EPOCH));
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("end-to-end (%s stores, TopologyTestDriver): %,d events, %,d alerts in %.2f s = %,.0f events/s%n",
                    rocksdb ? "RocksDB" : "in-memory", events.size(), alerts.getQueueSize(), seconds,
                    events.size() / seconds);
        }
    }

    /**
     * Global event-time order; each key cycles through a burst of 5–14 creates (3 price levels), 3–10 cancels and
     * the odd fill, one event per key about every 100 ms of event time.
     */
    public static List<OrderEvent> generate(int count, int keys, long seed) {
        Random random = new Random(seed);
        int[] remainingCreates = new int[keys];
        int[] remainingCancels = new int[keys];
        List<OrderEvent> events = new ArrayList<>(count);
        long time = T0;
        for (int i = 0; i < count; i++) {
            time += random.nextInt(Math.max(1, keys / 100)) == 0 ? 1 : 0;
            int k = random.nextInt(keys);
            if (remainingCreates[k] == 0 && remainingCancels[k] == 0) {
                remainingCreates[k] = 5 + random.nextInt(10);
                remainingCancels[k] = 3 + random.nextInt(8);
            }
            OrderEventType type;
            if (random.nextInt(20) == 0) {
                type = OrderEventType.FILLED;
            } else if (remainingCreates[k] > 0) {
                type = OrderEventType.CREATED;
                remainingCreates[k]--;
            } else {
                type = OrderEventType.CANCELLED;
                remainingCancels[k]--;
            }
            double price = 100.00 + random.nextInt(3) / 100.0;
            events.add(new OrderEvent("e" + i, "acc-" + k, "SYM", type, null, Side.BUY, price, 1, time));
        }
        return events;
    }
}
