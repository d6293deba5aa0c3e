package io.streamfleet.cep.operator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.cep.bench.CepBenchmark;
import io.streamfleet.cep.burst.BurstPattern;
import io.streamfleet.cep.engine.compile.CompiledPattern;
import io.streamfleet.cep.engine.runtime.Matcher;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production path after a wiped state directory: RocksDB stores rebuilt from the changelog, tombstones and all,
 * and a new processor on them. Its output is that of a run that never stopped (the key states it rebuilds from the
 * drained orders the buffer keeps included), and its scans start past the tombstones of what the first run expired.
 */
class BurstDetectorRestoreTest {

    private static final List<OrderEvent> EVENTS = CepBenchmark.generate(12_000, 100, 11);
    private static final int CRASH = 8_000;
    private static final long RETENTION_MS = new Matcher<>(CompiledPattern.compile(
            new BurstPattern(DetectorSettings.defaults().burst()).pattern())).retentionMs();

    @TempDir
    File stateDir;
    private final List<StateStore> opened = new ArrayList<>();

    /** What a processor forwarded, comparable across runs. */
    private record Output(String sink, String key, Object value, long timestamp) {
    }

    @AfterEach
    void close() {
        opened.forEach(StateStore::close);
    }

    @Test
    void shouldEmitTheSameOutputWhenRestartedOnRocksDbStoresRestoredFromTheChangelog() {
        MockProcessorContext<String, Object> straight = withPlainStores();
        List<Output> uninterrupted = run(straight, 0, EVENTS.size());
        assertThat(uninterrupted).filteredOn(o -> o.sink().equals("alerts")).hasSizeGreaterThan(3);

        ChangelogReplay replay = new ChangelogReplay();
        MockProcessorContext<String, Object> crashed = withTappedStores(replay);
        MockProcessorContext<String, Object> restored = restoredFrom(replay);
        List<Output> out = new ArrayList<>(run(crashed, 0, CRASH));
        replay.flush();
        // about one order a millisecond here: a chunk per 20 ms bucket, each deleted once the watermark is the
        // retention past it, so at the crash the buckets of the first (8 s − lateness − retention) are gone
        long expiredBuckets = (CRASH - DetectorSettings.defaults().burst().lateness().toMillis() - RETENTION_MS)
                / OrderBuffer.BUCKET_MS;
        assertThat(replay.tombstones).as("the expiries' deletes are in the changelog")
                .isGreaterThan(expiredBuckets / 2);

        out.addAll(run(restored, CRASH, EVENTS.size()));

        assertThat(out).isEqualTo(uninterrupted);
        long watermark = restored.<KeyValueStore<String, Long>>getStateStore(CepStores.META).get(TaskTime.WATERMARK);
        assertThat(liveBelow(restored, CepStores.BUFFER, OrderBuffer.lowerBound(watermark - RETENTION_MS)))
                .as("no buffer entry below the bucket of the drained watermark minus the retention").isFalse();
    }

    /**
     * The wake-up index is not a store: each key state carries its wake-up and the restarted processor rebuilds the
     * index from the restored key states. Cut where many keys wait for a candidate deadline or an expiry, then let only
     * stream-time marks move time, so every alert and expiry after the restart comes from a rebuilt wake-up (no order
     * of those keys is drained again): the restored run must hold the same index as the crashed one and emit exactly
     * what the uninterrupted run emits after the cut, at the same detection times.
     */
    @Test
    void shouldFireTheSameWakeUpsFromTheRebuiltIndexWhenRestoredAndOnlyMarksFollow() {
        List<Long> marks = new ArrayList<>();
        long newest = EVENTS.subList(0, CRASH).stream().mapToLong(OrderEvent::eventTimeMs).max().orElseThrow();
        for (long t = newest + 10; t <= newest + 8_000; t += 37) {
            marks.add(t);
        }
        MockProcessorContext<String, Object> straight = withPlainStores();
        BurstDetectorProcessor uninterrupted = processor(straight);
        feed(straight, uninterrupted, CRASH);
        List<String> indexAtCut = uninterrupted.wakeUpIndex().describe();
        int before = straight.forwarded().size();
        marks.forEach(t -> mark(straight, uninterrupted, t));
        List<Output> expected = outputs(straight).subList(before, straight.forwarded().size());
        assertThat(indexAtCut).as("keys waiting at the cut").hasSizeGreaterThan(50);
        assertThat(expected).filteredOn(o -> o.sink().equals("alerts")).as("alerts only a wake-up can emit")
                .isNotEmpty();
        assertThat(uninterrupted.wakeUpIndex().size()).as("every state expired by the last mark").isZero();

        ChangelogReplay replay = new ChangelogReplay();
        MockProcessorContext<String, Object> crashed = withTappedStores(replay);
        MockProcessorContext<String, Object> restored = restoredFrom(replay);
        BurstDetectorProcessor first = processor(crashed);
        feed(crashed, first, CRASH);
        assertThat(first.wakeUpIndex().describe()).isEqualTo(indexAtCut);
        first.close();
        replay.flush();

        BurstDetectorProcessor second = processor(restored);
        assertThat(second.wakeUpIndex().describe()).as("rebuilt from the restored key states").isEqualTo(indexAtCut);
        marks.forEach(t -> mark(restored, second, t));

        assertThat(outputs(restored)).isEqualTo(expected);
        assertThat(second.wakeUpIndex().size()).isZero();
        try (KeyValueIterator<String, byte[]> left = restored.<KeyValueStore<String, byte[]>>getStateStore(
                CepStores.KEY_STATE).all()) {
            assertThat(left.hasNext()).as("every key state expired through its rebuilt wake-up").isFalse();
        }
    }

    private static BurstDetectorProcessor processor(MockProcessorContext<String, Object> context) {
        BurstDetectorProcessor processor = new BurstDetectorProcessor(DetectorSettings.defaults(),
                new CepMetrics(new SimpleMeterRegistry(), "orders.clean"), "alerts", "late");
        processor.init(context);
        return processor;
    }

    private static void feed(MockProcessorContext<String, Object> context, BurstDetectorProcessor processor, int to) {
        for (int offset = 0; offset < to; offset++) {
            OrderEvent event = EVENTS.get(offset);
            context.setRecordMetadata("orders.clean", 0, offset);
            processor.process(new Record<>(event.key(), event, event.eventTimeMs(), new RecordHeaders()));
        }
    }

    private static void mark(MockProcessorContext<String, Object> context, BurstDetectorProcessor processor,
                             long streamTimeMs) {
        context.setRecordMetadata("orders.clean", 0, 0);
        processor.process(new Record<>(null, null, 0L,
                ProgressRecords.headers(ProgressMark.streamTime("stream-processor", streamTimeMs))));
    }

    private static List<Output> outputs(MockProcessorContext<String, Object> context) {
        List<Output> out = new ArrayList<>();
        for (var forwarded : context.forwarded()) {
            Record<?, ?> r = forwarded.record();
            out.add(new Output(forwarded.childName().orElseThrow(), (String) r.key(), r.value(), r.timestamp()));
        }
        return out;
    }

    private static boolean liveBelow(MockProcessorContext<String, Object> context, String store, byte[] bound) {
        KeyValueStore<Bytes, byte[]> kv = context.getStateStore(store);
        try (KeyValueIterator<Bytes, byte[]> it = kv.range(null, Bytes.wrap(bound))) {
            while (it.hasNext()) {
                if (!it.next().key.equals(Bytes.wrap(bound))) {
                    return true;
                }
            }
            return false;
        }
    }

    private void addStore(MockProcessorContext<String, Object> context, StateStore store) {
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    private static List<Output> run(MockProcessorContext<String, Object> context, int from, int to) {
        BurstDetectorProcessor processor = new BurstDetectorProcessor(DetectorSettings.defaults(),
                new CepMetrics(new SimpleMeterRegistry(), "orders.clean"), "alerts", "late");
        processor.init(context);
        for (int offset = from; offset < to; offset++) {
            OrderEvent event = EVENTS.get(offset);
            context.setRecordMetadata("orders.clean", 0, offset);
            processor.process(new Record<>(event.key(), event, event.eventTimeMs(), new RecordHeaders()));
        }
        if (to == EVENTS.size()) {
            long end = EVENTS.get(to - 1).eventTimeMs() + 30_000;
            processor.process(new Record<>(null, null, 0L,
                    ProgressRecords.headers(ProgressMark.streamTime("stream-processor", end))));
        }
        List<Output> out = new ArrayList<>();
        for (var forwarded : context.forwarded()) {
            Record<?, ?> r = forwarded.record();
            out.add(new Output(forwarded.childName().orElseThrow(), (String) r.key(), r.value(), r.timestamp()));
        }
        processor.close();
        return out;
    }

    /** A context with the detector's stores, neither logged nor cached: the run without a crash. */
    private MockProcessorContext<String, Object> withPlainStores() {
        MockProcessorContext<String, Object> context = context();
        for (StoreBuilder<?> builder : CepStores.builders(false)) {
            addStore(context, builder.withLoggingDisabled().withCachingDisabled().build());
        }
        return context;
    }

    /** A context whose stores write what they change into {@code replay}'s changelog: the run that crashes. */
    private MockProcessorContext<String, Object> withTappedStores(ChangelogReplay replay) {
        MockProcessorContext<String, Object> context = context();
        for (StoreBuilder<?> builder : replay.tappedBuilders()) {
            addStore(context, builder.withLoggingDisabled().withCachingDisabled().build());
        }
        return context;
    }

    /** A context with RocksDB stores that {@code replay} restores from its changelog: the restarted run. */
    private MockProcessorContext<String, Object> restoredFrom(ChangelogReplay replay) {
        MockProcessorContext<String, Object> context = context();
        for (StoreBuilder<?> builder : CepStores.builders(true)) {
            StateStore store = replay.openTarget(builder, context.getStateStoreContext());
            opened.add(store);
            context.addStateStore(store);
        }
        return context;
    }

    private MockProcessorContext<String, Object> context() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cep-restore-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new MockProcessorContext<>(props, new TaskId(0, 0), stateDir);
    }
}
