package io.streamfleet.cep.operator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.cep.support.Orders;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.event.OrderEvent;
import org.apache.kafka.common.header.internals.RecordHeaders;
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

/** The operator with a mock context and counting stores: what each record and each punctuation costs in state. */
class BurstDetectorProcessorTest {

    private static final long T0 = 1_700_000_000_000L;
    private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    private final Map<String, CountingKeyValueStore<?, ?>> stores = new HashMap<>();
    private final BurstDetectorProcessor processor = new BurstDetectorProcessor(DetectorSettings.defaults(),
            new CepMetrics(new SimpleMeterRegistry()), "alerts", "late");

    @BeforeEach
    @SuppressWarnings({"unchecked", "rawtypes"})
    void init() {
        for (StoreBuilder<?> builder : CepStores.builders(false)) {
            KeyValueStore inner = (KeyValueStore) builder.withLoggingDisabled().build();
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
        for (OrderEvent e : events) {
            context.setRecordMetadata("orders.clean", 0, 0);
            processor.process(new Record<>(e.key(), e, e.eventTimeMs(), new RecordHeaders()));
        }
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
    void shouldScheduleWallClockAndStreamTimePunctuation() {
        assertThat(context.scheduledPunctuators()).extracting(MockProcessorContext.CapturedPunctuator::getType)
                .containsExactlyInAnyOrder(PunctuationType.WALL_CLOCK_TIME, PunctuationType.STREAM_TIME);
    }

    @Test
    void shouldWriteOnlyTheBufferOncePerRecord() {
        pipe(Orders.acme().creates(100, T0, 10, 10.00, 10.01).build());

        assertThat(store(CepStores.BUFFER).writes).isEqualTo(100);
        assertThat(totalWrites()).isEqualTo(100);
        assertThat(totalReads()).isZero();
    }

    @Test
    void shouldTouchNothingWhenPunctuationFindsWatermarkUnchanged() {
        pipe(Orders.acme().creates(10, T0, 10, 10.00).build());
        processor.punctuate();
        resetCounts();

        processor.punctuate();
        processor.punctuate();

        assertThat(totalReads()).isZero();
        assertThat(totalWrites()).isZero();
    }

    @Test
    void shouldReadAndWriteEachTouchedKeyOnceWhenDraining() {
        for (int k = 0; k < 20; k++) {
            pipe(Orders.forKey("acc-" + k, "X").creates(5, T0, 10, 10.00).build());
        }
        pipe(Orders.forKey("clock", "X").filled(T0 + 3_100).build());
        resetCounts();

        processor.punctuate();

        CountingKeyValueStore<?, ?> keyState = store(CepStores.KEY_STATE);
        assertThat(keyState.reads).isEqualTo(20);
        assertThat(keyState.writes).isEqualTo(20);
        // 100 drained (each read once and deleted) + the first entry beyond the watermark, which stays
        assertThat(store(CepStores.BUFFER).reads).isEqualTo(101);
        assertThat(store(CepStores.BUFFER).writes).isEqualTo(100);
        assertThat(store(CepStores.WAKE_UPS).writes).isEqualTo(20);
    }

    @Test
    void shouldDeleteKeyStateWhenHorizonPassesWithoutEvents() {
        pipe(Orders.acme().creates(10, T0, 10, 10.00, 10.01, 10.02).cancels(8, T0 + 100, 10).build());
        context.setCurrentSystemTimeMs(60_000);

        processor.punctuate();

        assertThat(context.forwarded("alerts")).singleElement()
                .satisfies(f -> assertThat(f.record().value()).isInstanceOf(AnomalyAlert.class));
        assertThat(store(CepStores.KEY_STATE).approximateNumEntries()).isZero();
        assertThat(store(CepStores.WAKE_UPS).approximateNumEntries()).isZero();
        assertThat(store(CepStores.BUFFER).approximateNumEntries()).isZero();
    }

    @Test
    void shouldWakeKeyAtDeadlineWithoutNewEventsForIt() {
        pipe(Orders.acme().creates(10, T0, 10, 10.00, 10.01, 10.02).cancels(8, T0 + 100, 10).build());
        pipe(Orders.forKey("other", "X").filled(T0 + 3_200).build());
        processor.punctuate();
        assertThat(context.forwarded("alerts")).as("watermark T0 + 200 is before the deadline").isEmpty();

        pipe(Orders.forKey("other", "X").filled(T0 + 4_100).build());
        processor.punctuate();

        assertThat(context.forwarded("alerts")).hasSize(1);
    }

    @Test
    void shouldNotAdvanceByWallClockWhilePartitionHasBacklog() {
        boolean[] backlog = {true};
        BurstDetectorProcessor catchingUp = new BurstDetectorProcessor(DetectorSettings.defaults(),
                new CepMetrics(new SimpleMeterRegistry()), (topic, partition, offset) -> backlog[0], "orders.clean",
                "alerts", "late");
        catchingUp.init(context);
        for (OrderEvent e : Orders.acme().creates(10, T0, 10, 10.00, 10.01, 10.02).cancels(8, T0 + 100, 10).build()) {
            catchingUp.process(new Record<>(e.key(), e, e.eventTimeMs(), new RecordHeaders()));
        }
        context.setCurrentSystemTimeMs(60_000);

        catchingUp.punctuate();
        assertThat(context.forwarded("alerts")).as("silent only because the thread is busy elsewhere").isEmpty();

        backlog[0] = false;
        catchingUp.punctuate();
        assertThat(context.forwarded("alerts")).hasSize(1);
    }
}
