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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * Keys that stay quiet for seconds while a busy key moves the watermark: their states reach back furthest behind
     * it without coming due, which is where the buffer's expiry could pass a state's oldest event. Every restart
     * rebuilds them from the buffered orders; the output must not change.
     */
    @Test
    void shouldEmitTheSameOutputWhenRestartedWhileQuietKeysReferToOldBufferedOrders() {
        List<Object> sparse = sparseLog(new Random(11));
        List<Output> uninterrupted = run(sparse, List.of());
        assertThat(uninterrupted).filteredOn(o -> o.sink().equals("alerts")).isNotEmpty();

        List<Integer> cuts = IntStream.iterate(5, i -> i < sparse.size(), i -> i + 7).boxed().toList();

        assertThat(run(sparse, cuts)).isEqualTo(uninterrupted);
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

    private static List<Output> run(List<Integer> cuts) {
        return run(LOG, cuts);
    }

    /** Processes {@code log}, starting a fresh processor and context (same stores) before each cut. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Output> run(List<Object> log, List<Integer> cuts) {
        List<StateStore> stores = new ArrayList<>();
        MockProcessorContext<String, Object> first = new MockProcessorContext<>();
        for (StoreBuilder<?> builder : CepStores.builders(false)) {
            StateStore store = builder.withLoggingDisabled().withCachingDisabled().build();
            store.init(first.getStateStoreContext(), store);
            stores.add(store);
        }
        List<Output> out = new ArrayList<>();
        List<Integer> bounds = new ArrayList<>(cuts);
        bounds.add(log.size());
        int from = 0;
        MockProcessorContext<String, Object> context = first;
        for (int to : bounds) {
            stores.forEach(context::addStateStore);
            BurstDetectorProcessor processor = new BurstDetectorProcessor(DetectorSettings.defaults(),
                    new CepMetrics(new SimpleMeterRegistry(), "orders.clean"), "alerts", "late");
            processor.init(context);
            for (int offset = from; offset < to; offset++) {
                context.setRecordMetadata("orders.clean", 0, offset);
                processor.process(record(log.get(offset)));
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

    /**
     * Twelve quiet keys, each an order every 0.1–2.5 s (creates, cancels and a few fills at three price levels, so
     * candidates come and go and some bursts match), and a busy key with an order every 40 ms that keeps the
     * watermark moving; arrival up to 300 ms out of order, a stream-time mark after about every tenth record.
     */
    private static List<Object> sparseLog(Random random) {
        List<OrderEvent> events = new ArrayList<>();
        long end = T0 + 40_000;
        for (int k = 0; k < 12; k++) {
            Orders orders = Orders.forKey("quiet-" + k, "SYM");
            for (long t = T0 + random.nextInt(2_000); t < end; t += 100 + random.nextInt(2_400)) {
                int kind = random.nextInt(10);
                if (kind < 6) {
                    orders.created(t, 10.00 + random.nextInt(3) / 100.0);
                } else if (kind < 9) {
                    orders.cancelled(t);
                } else {
                    orders.filled(t);
                }
                if (random.nextInt(25) == 0) {
                    // now and then a real episode on the quiet key
                    orders.creates(10, t + 1, 5, 10.00, 10.01, 10.02).cancels(8, t + 60, 5);
                    t += 120;
                }
            }
            events.addAll(orders.build());
        }
        Orders busy = Orders.forKey("busy", "SYM");
        for (long t = T0; t < end; t += 40) {
            busy.filled(t);
        }
        events.addAll(busy.build());
        Map<OrderEvent, Long> arrival = new IdentityHashMap<>();
        events.forEach(e -> arrival.put(e, e.eventTimeMs() + random.nextInt(300)));
        events.sort(Comparator.comparingLong(arrival::get));
        List<Object> log = new ArrayList<>();
        long newest = Long.MIN_VALUE;
        for (OrderEvent event : events) {
            log.add(event);
            newest = Math.max(newest, event.eventTimeMs());
            if (random.nextInt(10) == 0) {
                log.add(newest);
            }
        }
        log.add(newest + 30_000);
        return log;
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
