package io.streamfleet.cep.operator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.cep.support.Orders;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart anywhere in the log — a new processor instance on the stores as committed at that offset, which is what
 * exactly-once restores — gives exactly the output of an uninterrupted run: same alerts with the same fields
 * (detection times included), same record timestamps, same late orders.
 */
class BurstDetectorRestartTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final List<Object> LOG = log(new Random(7));

    /** What a processor forwarded, comparable across runs. */
    private record Output(String sink, String key, Object value, long timestamp) {
    }

    @Test
    void shouldEmitTheSameAlertsAndDetectionTimesWhenRestartedAtAnyOffset() {
        List<Output> uninterrupted = run(List.of());
        assertThat(uninterrupted).filteredOn(o -> o.sink().equals("alerts")).hasSizeGreaterThan(3);
        assertThat(uninterrupted).filteredOn(o -> o.sink().equals("late")).isNotEmpty();

        for (int cut = 1; cut < LOG.size(); cut += 3) {
            assertThat(run(List.of(cut))).as("restarted before record %d", cut).isEqualTo(uninterrupted);
        }
    }

    @Test
    void shouldEmitTheSameOutputWhenRestartedAfterEveryFewRecords() {
        List<Output> uninterrupted = run(List.of());

        List<Integer> cuts = IntStream.iterate(2, i -> i < LOG.size(), i -> i + 2).boxed().toList();

        assertThat(run(cuts)).isEqualTo(uninterrupted);
    }

    @Test
    void shouldStampEachAlertWithTheStreamTimeAtItsEmissionWhenMarksAndDataDriveEvaluation() {
        long streamTime = Long.MIN_VALUE;
        List<Long> streamTimes = new ArrayList<>();
        for (Object item : LOG) {
            streamTime = Math.max(streamTime, item instanceof OrderEvent e ? e.eventTimeMs() : (Long) item);
            streamTimes.add(streamTime);
        }

        List<Output> out = run(List.of());

        // every detection time is the stream time after some record of the log, and it is the record timestamp
        assertThat(out).filteredOn(o -> o.sink().equals("alerts")).allSatisfy(o -> {
            long detectedAt = ((AnomalyAlert) o.value()).detectedAtMs();
            assertThat(streamTimes).contains(detectedAt);
            assertThat(o.timestamp()).isEqualTo(detectedAt);
            assertThat(detectedAt).isGreaterThan(((AnomalyAlert) o.value()).windowEndMs() + 3_000);
        });
    }

    /** Processes {@link #LOG}, starting a fresh processor and context (same stores) before each cut. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Output> run(List<Integer> cuts) {
        List<StateStore> stores = new ArrayList<>();
        MockProcessorContext<String, Object> first = new MockProcessorContext<>();
        for (StoreBuilder<?> builder : CepStores.builders(false)) {
            StateStore store = builder.withLoggingDisabled().withCachingDisabled().build();
            store.init(first.getStateStoreContext(), store);
            stores.add(store);
        }
        List<Output> out = new ArrayList<>();
        List<Integer> bounds = new ArrayList<>(cuts);
        bounds.add(LOG.size());
        int from = 0;
        MockProcessorContext<String, Object> context = first;
        for (int to : bounds) {
            stores.forEach(context::addStateStore);
            BurstDetectorProcessor processor = new BurstDetectorProcessor(DetectorSettings.defaults(),
                    new CepMetrics(new SimpleMeterRegistry(), "orders.clean"), "alerts", "late");
            processor.init(context);
            for (int offset = from; offset < to; offset++) {
                context.setRecordMetadata("orders.clean", 0, offset);
                processor.process(record(LOG.get(offset)));
            }
            for (var forwarded : context.forwarded()) {
                Record<?, ?> r = forwarded.record();
                out.add(new Output(forwarded.childName().orElseThrow(), (String) r.key(), r.value(), r.timestamp()));
            }
            processor.close();
            from = to;
            context = new MockProcessorContext<>();
        }
        return out;
    }

    private static Record<String, OrderEvent> record(Object item) {
        if (item instanceof OrderEvent event) {
            return new Record<>(event.key(), event, event.eventTimeMs(), new RecordHeaders());
        }
        return new Record<>(null, null, 0L,
                ProgressRecords.headers(ProgressMark.streamTime("stream-processor", (Long) item)));
    }

    /**
     * Episodes and near misses on a few keys, arriving up to 1 s out of order, stream-time marks (newest event time so
     * far) after about every fifth record, quiet stretches where only marks move time, and a few late orders.
     */
    private static List<Object> log(Random random) {
        List<OrderEvent> events = new ArrayList<>();
        long start = T0;
        for (int i = 0; i < 24; i++) {
            Orders orders = Orders.forKey("acc-" + i % 4, "SYM" + i);
            int creates = 8 + random.nextInt(5);
            orders.creates(creates, start, 20, 10.00, 10.01, 10.02).cancels(6 + random.nextInt(5),
                    start + creates * 20L + 5, 15);
            events.addAll(orders.build());
            start += i % 6 == 5 ? 20_000 : 200 + random.nextInt(2_000);
        }
        events.sort(Comparator.comparingLong(e -> e.eventTimeMs() + random.nextInt(1_000)));
        List<Object> log = new ArrayList<>();
        long newest = Long.MIN_VALUE;
        for (OrderEvent event : events) {
            if (newest != Long.MIN_VALUE && event.eventTimeMs() - newest > 10_000) {
                // a quiet stretch: stream-processor's marks carry time on without data
                for (long t = newest + 500; t < event.eventTimeMs() - 5_000; t += 700) {
                    log.add(t);
                }
            }
            log.add(event);
            newest = Math.max(newest, event.eventTimeMs());
            if (random.nextInt(5) == 0) {
                log.add(newest);
            }
            if (random.nextInt(40) == 0) {
                log.add(Orders.forKey("late", "X").created(newest - 5_000, 10.0).build().get(0));
            }
        }
        log.add(newest + 30_000);
        return log;
    }
}
