package io.streamfleet.cep.operator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.cep.support.Orders;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator with a mock context and counting stores: what each record and each evaluation costs in state. */
class BurstDetectorProcessorTest {

    private static final long T0 = 1_700_000_000_000L;
    private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    private final Map<String, CountingKeyValueStore<?, ?>> stores = new HashMap<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BurstDetectorProcessor processor = newProcessor();

    private BurstDetectorProcessor newProcessor() {
        return new BurstDetectorProcessor(DetectorSettings.defaults(), new CepMetrics(registry, "orders.clean"),
                "alerts", "late");
    }

    @BeforeEach
    @SuppressWarnings({"unchecked", "rawtypes"})
    void init() {
        for (StoreBuilder<?> builder : CepStores.builders(false)) {
            KeyValueStore inner = (KeyValueStore) builder.withLoggingDisabled().withCachingDisabled().build();
            CountingKeyValueStore counting = new CountingKeyValueStore(inner);
            counting.init(context.getStateStoreContext(), counting);
            context.addStateStore(counting);
            stores.put(counting.name(), counting);
        }
        context.setCurrentSystemTimeMs(0);
        processor.init(context);
        resetCounts();
    }

    private void pipe(List<OrderEvent> events) {
        pipe(processor, events);
    }

    private void pipe(BurstDetectorProcessor target, List<OrderEvent> events) {
        for (OrderEvent e : events) {
            context.setRecordMetadata("orders.clean", 0, 0);
            target.process(new Record<>(e.key(), e, e.eventTimeMs(), new RecordHeaders()));
        }
    }

    private void mark(long streamTimeMs) {
        context.setRecordMetadata("orders.clean", 0, 0);
        processor.process(new Record<>(null, null, 0L,
                ProgressRecords.headers(ProgressMark.streamTime("stream-processor", streamTimeMs))));
    }

    @SuppressWarnings("unchecked")
    private KeyValueStore<String, Long> meta() {
        return (KeyValueStore<String, Long>) store(CepStores.META);
    }

    private CountingKeyValueStore<?, ?> store(String name) {
        return stores.get(name);
    }

    private long totalReads() {
        return stores.values().stream().mapToLong(s -> s.reads).sum();
    }

    private long totalWrites() {
        return stores.values().stream().mapToLong(s -> s.writes).sum();
    }

    private void resetCounts() {
        stores.values().forEach(CountingKeyValueStore::reset);
    }

    @Test
    void shouldScheduleOnlyAWallClockPunctuationThatMovesNothingWhenItFires() {
        pipe(Orders.acme().creates(10, T0, 10, 10.00, 10.01, 10.02).cancels(8, T0 + 100, 10).build());
        resetCounts();

        assertThat(context.scheduledPunctuators()).singleElement().satisfies(p -> {
            assertThat(p.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
            context.setCurrentSystemTimeMs(3_600_000);
            p.getPunctuator().punctuate(3_600_000);
        });

        assertThat(context.forwarded()).isEmpty();
        assertThat(totalReads()).isZero();
        assertThat(totalWrites()).isZero();
    }

    @Test
    void shouldWriteOnlyTheBufferWhenRecordsMoveNeitherTimeNorWatermark() {
        pipe(Orders.forKey("first", "X").filled(T0).build());
        resetCounts();

        pipe(Orders.acme().creates(100, T0, 0, 10.00, 10.01).build());

        assertThat(store(CepStores.BUFFER).writes).isEqualTo(100);
        assertThat(totalWrites()).isEqualTo(100);
        assertThat(totalReads()).isZero();
    }

    @Test
    void shouldWriteStreamTimeOncePerMovingRecordAndWatermarkOncePerEvaluation() {
        pipe(Orders.forKey("first", "X").filled(T0).build());
        resetCounts();

        // 100 orders 10 ms apart: stream time moves each time, the watermark moves 10 evaluation intervals
        pipe(Orders.acme().creates(100, T0 + 10, 10, 10.00, 10.01).build());

        assertThat(store(CepStores.BUFFER).writes).isEqualTo(100);
        assertThat(store(CepStores.META).writes).isEqualTo(100 + 10);
        assertThat(meta().get(BurstDetectorProcessor.KEYS)).as("tallies unchanged: not written").isNull();
        assertThat(store(CepStores.KEY_STATE).writes).isZero();
    }

    @Test
    void shouldTouchNothingWhenAMarkFindsTheWatermarkAlreadyDrained() {
        pipe(Orders.acme().creates(10, T0, 10, 10.00).build());
        mark(T0 + 90); // data moved W by less than the interval; a mark evaluates whatever is ahead of the drain
        resetCounts();

        mark(T0);
        mark(T0 + 90);

        assertThat(totalReads()).isZero();
        assertThat(totalWrites()).isZero();
        assertThat(registry.get("streamfleet.cep.progress.marks").counter().count()).isEqualTo(3.0);
    }

    @Test
    void shouldWriteEachTouchedKeyOnceFromMemoryAndKeepTheDrainedChunksWhenAMarkDrains() {
        for (int k = 0; k < 20; k++) {
            pipe(Orders.forKey("acc-" + k, "X").creates(5, T0, 10, 10.00).build());
        }
        resetCounts();

        mark(T0 + 3_100);

        CountingKeyValueStore<?, ?> keyState = store(CepStores.KEY_STATE);
        assertThat(keyState.reads).as("key states are held in memory").isZero();
        assertThat(keyState.writes).isEqualTo(20);
        // 100 orders at T0 .. T0 + 40: three 20 ms buckets, a chunk each, read once and kept (the states refer to them)
        assertThat(store(CepStores.BUFFER).reads).as("each drained chunk read once").isEqualTo(3);
        assertThat(store(CepStores.BUFFER).writes).as("nothing expired 100 ms after the orders").isZero();
        assertThat(processor.wakeUpIndex().size()).as("each key's expiry, in memory: no store write of its own")
                .isEqualTo(20);
    }

    @Test
    void shouldDeleteKeyStateWhenAMarkPassesTheHorizon() {
        pipe(Orders.acme().creates(10, T0, 10, 10.00, 10.01, 10.02).cancels(8, T0 + 100, 10).build());

        mark(T0 + 60_000);

        assertThat(context.forwarded("alerts")).singleElement().satisfies(f -> {
            assertThat(f.record().value()).isInstanceOf(AnomalyAlert.class);
            assertThat(((AnomalyAlert) f.record().value()).detectedAtMs()).isEqualTo(T0 + 60_000);
            assertThat(f.record().timestamp()).isEqualTo(T0 + 60_000);
        });
        assertThat(store(CepStores.KEY_STATE).approximateNumEntries()).isZero();
        assertThat(processor.wakeUpIndex().size()).isZero();
        assertThat(store(CepStores.BUFFER).approximateNumEntries()).isZero();
    }

    @Test
    void shouldWakeKeyAtDeadlineWithoutNewEventsForIt() {
        pipe(Orders.acme().creates(10, T0, 10, 10.00, 10.01, 10.02).cancels(8, T0 + 100, 10).build());
        pipe(Orders.forKey("other", "X").filled(T0 + 3_200).build());
        assertThat(context.forwarded("alerts")).as("watermark T0 + 200 is before the deadline").isEmpty();

        pipe(Orders.forKey("other", "X").filled(T0 + 4_100).build());

        assertThat(context.forwarded("alerts")).singleElement().satisfies(f ->
                assertThat(((AnomalyAlert) f.record().value()).detectedAtMs()).isEqualTo(T0 + 4_100));
    }

    @Test
    void shouldSkipMalformedMarkWithoutTouchingStateWhenHeadersAreBroken() {
        pipe(Orders.acme().creates(10, T0, 10, 10.00, 10.01, 10.02).cancels(8, T0 + 100, 10).build());
        resetCounts();
        RecordHeaders broken = new RecordHeaders();
        broken.add(ProgressRecords.SOURCE, "stream-processor".getBytes());
        broken.add(ProgressRecords.KIND, "stream-time".getBytes());
        broken.add(ProgressRecords.TIME_MS, "soon".getBytes());

        context.setRecordMetadata("orders.clean", 0, 42);
        processor.process(new Record<>(null, null, 0L, broken));

        assertThat(context.forwarded()).isEmpty();
        assertThat(totalWrites()).isZero();
        assertThat(registry.get("streamfleet.cep.progress.invalid").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("streamfleet.cep.events").tag("outcome", "invalid").counter().count()).isZero();
    }

    @Test
    void shouldSeedStreamTimeFromWatermarkWhenStateHasNone() {
        // state written before progress records: a drained watermark, no stream-time entry
        meta().put("watermark", T0);
        BurstDetectorProcessor restarted = newProcessor();
        restarted.init(context);

        OrderEvent late = Orders.acme().created(T0 - 1, 10.0).build().get(0);
        pipe(restarted, List.of(late, Orders.acme().created(T0 + 10, 10.0).build().get(0)));

        assertThat(context.forwarded("late")).singleElement().satisfies(f ->
                assertThat(Headers.lastLong(f.record().headers(), Headers.LATE_WATERMARK_MS, -1)).isEqualTo(T0));
        assertThat(meta().get(TaskTime.STREAM_TIME)).as("watermark + lateness, now persisted").isEqualTo(T0 + 3_000);
        assertThat(meta().get("watermark")).as("the order moved W by less than the interval").isEqualTo(T0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldResumeTheBufferScanAtTheStoredWatermarkWhenRestartedSoNothingBelowItIsVisited() {
        pipe(Orders.acme().creates(5, T0, 10, 10.00).build());
        mark(T0 + 3_100);
        assertThat(meta().get(TaskTime.WATERMARK)).isEqualTo(T0 + 100);
        // live entries below W stand in for what a restored store holds there: tombstones the scans must not walk
        KeyValueStore<Bytes, byte[]> buffer = (KeyValueStore<Bytes, byte[]>) store(CepStores.BUFFER);
        Bytes belowInBuffer = Bytes.wrap(StateCodec.bufferKey(T0 + 50, "planted|X", "p-1"));
        buffer.put(belowInBuffer, StateCodec.encodeOrder(Orders.forKey("planted", "X").created(T0 + 50, 10.0)
                .tracked().get(0)));
        BurstDetectorProcessor restarted = newProcessor();
        restarted.init(context);
        pipe(restarted, Orders.acme().creates(5, T0 + 200, 10, 10.00).build());
        resetCounts();

        context.setRecordMetadata("orders.clean", 0, 0);
        restarted.process(new Record<>(null, null, 0L,
                ProgressRecords.headers(ProgressMark.streamTime("stream-processor", T0 + 3_300))));

        assertThat(meta().get(TaskTime.WATERMARK)).isEqualTo(T0 + 300);
        assertThat(store(CepStores.BUFFER).reads).as("the three chunks of the five orders of [W, T0 + 300) and "
                + "nothing else").isEqualTo(3);
        assertThat(buffer.get(belowInBuffer)).as("below the bound: never drained").isNotNull();
        assertThat(store(CepStores.KEY_STATE).writes).as("only acme evaluated").isEqualTo(1);
    }

    @Test
    void shouldKeepTheFirstArrivalAndCountTheRepeatWhenAnOrderIsDuplicated() {
        List<OrderEvent> episode = Orders.acme().creates(10, T0, 10, 10.00, 10.01, 10.02).cancels(8, T0 + 100, 10)
                .build();
        pipe(episode);
        pipe(List.of(episode.get(3), episode.get(12)));

        mark(T0 + 60_000);

        assertThat(context.forwarded("alerts")).singleElement().satisfies(f -> {
            AnomalyAlert alert = (AnomalyAlert) f.record().value();
            assertThat(alert.created()).isEqualTo(10);
            assertThat(alert.canceled()).isEqualTo(8);
        });
        assertThat(registry.get("streamfleet.cep.events").tag("outcome", "duplicate").counter().count())
                .isEqualTo(2.0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldDrainOrdersBufferedByTheLayoutBeforeChunksWhenUpgraded() {
        // what the version before chunks left: one entry per order under (time, key, event id), nothing drained yet
        KeyValueStore<Bytes, byte[]> buffer = (KeyValueStore<Bytes, byte[]>) store(CepStores.BUFFER);
        List<OrderEvent> episode = Orders.acme().creates(10, T0, 10, 10.00, 10.01, 10.02).cancels(8, T0 + 100, 10)
                .build();
        for (OrderEvent event : episode.subList(0, 12)) {
            buffer.put(Bytes.wrap(StateCodec.bufferKey(event.eventTimeMs(), event.key(), event.eventId())),
                    StateCodec.encodeOrder(new io.streamfleet.cep.burst.TrackedOrder(event, 5L)));
        }
        BurstDetectorProcessor upgraded = newProcessor();
        upgraded.init(context);
        pipe(upgraded, episode.subList(12, episode.size()));

        context.setRecordMetadata("orders.clean", 0, 0);
        upgraded.process(new Record<>(null, null, 0L,
                ProgressRecords.headers(ProgressMark.streamTime("stream-processor", T0 + 60_000))));

        assertThat(context.forwarded("alerts")).singleElement().satisfies(f -> {
            AnomalyAlert alert = (AnomalyAlert) f.record().value();
            assertThat(alert.created()).isEqualTo(10);
            assertThat(alert.canceled()).isEqualTo(8);
        });
        assertThat(store(CepStores.BUFFER).approximateNumEntries()).isZero();
    }
}
