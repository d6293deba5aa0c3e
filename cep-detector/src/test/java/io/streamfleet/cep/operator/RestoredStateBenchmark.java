package io.streamfleet.cep.operator;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.cep.bench.CepBenchmark;
import io.streamfleet.cep.burst.TrackedOrder;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What a restore from the changelog does to the detector's scans, on real RocksDB stores; not a test. The changelog
 * of a store the drain empties from the front is mostly tombstones, and a restore replays them all.
 * <ol>
 *   <li>Store level: a {@code cep-buffer} restored from {@code deleted} puts-then-deletes followed by {@code live}
 *   live entries; time to the first live entry by {@code all()} and by a range seeded with the drained
 *   watermark.</li>
 *   <li>Processor level: the detector runs {@code history} orders (2 000 orders/s of event time) on stores whose writes
 *   are replayed into RocksDB stores as their changelog; new processors then run the next {@code after} orders, in
 *   four rounds, on the restored stores and on stores restored from the live entries only (a compacted log, no
 *   tombstones). The time to the first entry of each scanned store is printed in between.</li>
 * </ol>
 * <pre>
 * mvn -B -q -o -pl cep-detector test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=target/test-classpath.txt
 * java -cp cep-detector/target/test-classes:cep-detector/target/classes:$(cat cep-detector/target/test-classpath.txt) \
 *     io.streamfleet.cep.operator.RestoredStateBenchmark
 * </pre>
 * Properties {@code cep.scan.live}, {@code cep.scan.deleted}, {@code cep.scan.history}, {@code cep.scan.after}.
 */
public final class RestoredStateBenchmark {

    private static final long T0 = 1_700_000_000_000L;
    /** Orders per evaluation at 2 000 orders/s and the 100 ms evaluation interval; 3 s of lateness is 6 000. */
    private static final int PER_EVALUATION = 200;
    private static final int LATENESS_ORDERS = 6_000;
    private static final int SCANS = 50;
    private static final int ROUNDS = 4;

    private RestoredStateBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int live = Integer.getInteger("cep.scan.live", 100_000);
        int deleted = Integer.getInteger("cep.scan.deleted", 1_000_000);
        int history = Integer.getInteger("cep.scan.history", 1_000_000);
        int after = Integer.getInteger("cep.scan.after", 80_000);
        System.out.printf("restored-state benchmark, %d cores, load average %.1f, Java %s%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), System.getProperty("java.version"));
        Path root = Files.createTempDirectory("cep-restored");
        try {
            storeScans(root.resolve("scan").toFile(), live, deleted);
            processorRuns(root, history, after);
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static void storeScans(File dir, int live, int deleted) {
        ChangelogReplay replay = new ChangelogReplay();
        MockProcessorContext<String, Object> context = context(dir);
        @SuppressWarnings("unchecked")
        KeyValueStore<Bytes, byte[]> buffer = (KeyValueStore<Bytes, byte[]>) replay.openTarget(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CepStores.BUFFER), Serdes.Bytes(),
                        Serdes.ByteArray()), context.getStateStoreContext());
        long started = System.nanoTime();
        int next = 0;
        for (int i = 0; i < live + deleted; i++) {
            replay.record(CepStores.BUFFER, bufferKey(i), StateCodec.encodeOrder(order(i)));
            // the processor drains every 200 orders what fell 3 s (6 000 orders) behind
            while (next < deleted && (i + 1) % PER_EVALUATION == 0 && next < i + 1 - LATENESS_ORDERS) {
                replay.record(CepStores.BUFFER, bufferKey(next++), null);
            }
        }
        while (next < deleted) {
            replay.record(CepStores.BUFFER, bufferKey(next++), null);
        }
        replay.flush();
        System.out.printf("%ncep-buffer restored from %d changelog records (%d tombstones) in %.1f s%n",
                replay.records, replay.tombstones, (System.nanoTime() - started) / 1e9);
        long watermark = StateCodec.bufferKeyTime(bufferKey(deleted).get());
        Bytes from = Bytes.wrap(StateCodec.bufferFrom(watermark));
        scan("all(), stop at the first live entry", () -> buffer.all());
        scan("range(watermark " + watermark + ", null), first live entry", () -> buffer.range(from, null));
        buffer.close();
    }

    private static void scan(String label, Supplier<KeyValueIterator<Bytes, byte[]>> iterator) {
        long[] nanos = new long[SCANS];
        for (int i = 0; i < SCANS; i++) {
            long started = System.nanoTime();
            try (KeyValueIterator<Bytes, byte[]> it = iterator.get()) {
                if (!it.hasNext()) {
                    throw new IllegalStateException("no live entry");
                }
                it.next();
            }
            nanos[i] = System.nanoTime() - started;
        }
        Arrays.sort(nanos);
        System.out.printf("  %-55s median %10.3f ms  min %10.3f ms  max %10.3f ms  (%d scans)%n", label,
                nanos[SCANS / 2] / 1e6, nanos[0] / 1e6, nanos[SCANS - 1] / 1e6, SCANS);
    }

    private static void processorRuns(Path root, int history, int after) {
        List<OrderEvent> events = CepBenchmark.generate(history + after, 200, 3);
        MockProcessorContext<String, Object> live = context(root.resolve("live").toFile());
        ChangelogReplay replay = new ChangelogReplay();
        MockProcessorContext<String, Object> restored = context(root.resolve("restored").toFile());
        for (StoreBuilder<?> builder : CepStores.builders(true)) {
            restored.addStateStore(replay.openTarget(builder, restored.getStateStoreContext()));
        }
        for (StoreBuilder<?> builder : replay.tappedBuilders()) {
            StateStore store = builder.withLoggingDisabled().withCachingDisabled().build();
            store.init(live.getStateStoreContext(), store);
            live.addStateStore(store);
        }
        long started = System.nanoTime();
        run(live, events.subList(0, history));
        replay.flush();
        System.out.printf("%nprocessor ran %d orders, its changelog (%d records, %d tombstones) restored in %.1f s%n",
                history, replay.records, replay.tombstones, (System.nanoTime() - started) / 1e9);

        long watermark = restored.<KeyValueStore<String, Long>>getStateStore(CepStores.META).get(TaskTime.WATERMARK);
        for (String name : List.of(CepStores.BUFFER)) {
            KeyValueStore<Bytes, byte[]> store = restored.getStateStore(name);
            scan(name + ": all()", store::all);
            Bytes from = Bytes.wrap(StateCodec.bufferFrom(watermark));
            scan(name + ": range(drained watermark, null)", () -> store.range(from, null));
        }

        ChangelogReplay compaction = new ChangelogReplay();
        MockProcessorContext<String, Object> compacted = context(root.resolve("compacted").toFile());
        for (StoreBuilder<?> builder : CepStores.builders(true)) {
            compacted.addStateStore(compaction.openTarget(builder, compacted.getStateStoreContext()));
        }
        for (String name : List.of(CepStores.BUFFER)) {
            KeyValueStore<Bytes, byte[]> source = live.getStateStore(name);
            compaction.copyLive(name, source.all());
        }
        copyTyped(live, compaction);

        // rounds in alternating order, each a restart on the same stores, so the machine's load hits both alike
        int round = after / ROUNDS;
        for (int r = 0; r < ROUNDS; r++) {
            List<OrderEvent> next = events.subList(history + r * round, history + (r + 1) * round);
            boolean compactedFirst = r % 2 == 0;
            report(r, compactedFirst ? "live entries only" : "whole changelog", compactedFirst ? compacted : restored,
                    next);
            report(r, compactedFirst ? "whole changelog" : "live entries only", compactedFirst ? restored : compacted,
                    next);
        }
    }

    private static void report(int round, String restoredFrom, MockProcessorContext<String, Object> context,
                               List<OrderEvent> events) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return DistributionStatisticConfig.builder().percentiles(0.5).build().merge(config);
            }
        });
        long started = System.nanoTime();
        run(context, events, registry);
        Timer evaluation = registry.get("streamfleet.cep.evaluation").timer();
        double median = evaluation.takeSnapshot().percentileValues()[0].value(TimeUnit.MILLISECONDS);
        System.out.printf("  round %d, restored from the %-17s %d orders in %5.1f s; %d evaluations, median %6.2f ms,"
                        + " mean %6.2f ms, max %7.2f ms%n", round + 1, restoredFrom + ":", events.size(),
                (System.nanoTime() - started) / 1e9, evaluation.count(), median,
                evaluation.mean(TimeUnit.MILLISECONDS), evaluation.max(TimeUnit.MILLISECONDS));
    }

    private static void run(MockProcessorContext<String, Object> context, List<OrderEvent> events) {
        run(context, events, new SimpleMeterRegistry());
    }

    private static void run(MockProcessorContext<String, Object> context, List<OrderEvent> events,
                            SimpleMeterRegistry registry) {
        BurstDetectorProcessor processor = new BurstDetectorProcessor(DetectorSettings.defaults(),
                new CepMetrics(registry, "orders.clean"), "alerts", "late");
        processor.init(context);
        long offset = 0;
        for (OrderEvent event : events) {
            context.setRecordMetadata("orders.clean", 0, offset++);
            processor.process(new Record<>(event.key(), event, event.eventTimeMs(), new RecordHeaders()));
            context.resetForwards();
        }
        processor.close();
    }

    private static void copyTyped(MockProcessorContext<String, Object> live, ChangelogReplay to) {
        KeyValueStore<String, byte[]> keyState = live.getStateStore(CepStores.KEY_STATE);
        try (KeyValueIterator<String, byte[]> it = keyState.all()) {
            it.forEachRemaining(e -> to.record(CepStores.KEY_STATE, Bytes.wrap(Serdes.String().serializer()
                    .serialize(null, e.key)), e.value));
        }
        KeyValueStore<String, Long> meta = live.getStateStore(CepStores.META);
        try (KeyValueIterator<String, Long> it = meta.all()) {
            it.forEachRemaining(e -> to.record(CepStores.META, Bytes.wrap(Serdes.String().serializer()
                    .serialize(null, e.key)), Serdes.Long().serializer().serialize(null, e.value)));
        }
        to.flush();
    }

    private static MockProcessorContext<String, Object> context(File stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cep-restored-bench");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new MockProcessorContext<>(props, new TaskId(0, 0), stateDir);
    }

    private static Bytes bufferKey(int i) {
        return Bytes.wrap(StateCodec.bufferKey(T0 + i / 2, "acc-" + i % 200 + "|SYM", "e" + i));
    }

    private static TrackedOrder order(int i) {
        return new TrackedOrder(new OrderEvent("e" + i, "acc-" + i % 200, "SYM", OrderEventType.CREATED, null,
                Side.BUY, 100.01, 1, T0 + i / 2), T0 + i / 2 + 5);
    }
}
