package io.streamfleet.processor.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.stats.OrderWindowStats;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.processor.stats.PriceTicks;
import io.streamfleet.processor.stats.WindowAggregate;
import io.streamfleet.processor.stats.WindowSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import static io.streamfleet.processor.support.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stats processor alone, on in-memory stores that outlive a processor instance: a "restart" is a new instance
 * on the state the old one left, which is what exactly-once restores after a crash (state and output of the last
 * commit). {@code TopologyTestDriver} cannot do this: its {@code close()} wipes the state directory.
 */
class OrderStatsProcessorTest {

    private static final long B = 1_767_225_600_000L;
    private static final long GRACE = 3_000;
    private static final WindowSpec TUMBLING = WindowSpec.tumbling(Duration.ofSeconds(1));
    private static final WindowSpec HOPPING = WindowSpec.hopping(Duration.ofMinutes(1), Duration.ofSeconds(10));

    /** What leaves the processor: the record and its ingestion header (−1 without). */
    record Out(String key, OrderWindowStats stats, long timestamp, long ingestedAtMs) {
    }

    /** Stores that survive restarts, and a processor on them. */
    static final class Stats {

        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final ProcessorMetrics metrics = new ProcessorMetrics(registry, List.of(), List.of(TUMBLING.name(),
                HOPPING.name()), List.of());
        final MockProcessorContext<String, OrderWindowStats> context;
        final KeyValueStore<Bytes, byte[]> open;
        final WindowSpec hopping;
        final List<Out> out = new ArrayList<>();
        /** What the processor put into each closed-window store, in order. */
        final Map<String, List<String>> closed = new HashMap<>();
        OrderStatsProcessor processor;

        Stats(WindowSpec hopping) {
            this.hopping = hopping;
            context = new MockProcessorContext<>(new Properties(), new TaskId(0, 0),
                    new File(System.getProperty("java.io.tmpdir"), "stats-processor-test"));
            context.setCurrentSystemTimeMs(0);
            open = add(ProcessorStores.openWindows(false));
            add(ProcessorStores.progress(false));
            for (String name : List.of(ProcessorStores.STATS_CLOSED_TUMBLING, ProcessorStores.STATS_CLOSED_HOPPING)) {
                List<String> puts = new ArrayList<>();
                closed.put(name, puts);
                context.addStateStore(recordingWindowStore(name, puts));
            }
            start();
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private <S extends org.apache.kafka.streams.processor.StateStore> S add(StoreBuilder<?> builder) {
            // MockProcessorContext cannot host the record cache; the driver tests run the stores cached
            org.apache.kafka.streams.processor.StateStore store = builder.withLoggingDisabled().withCachingDisabled()
                    .build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            return (S) store;
        }

        private void start() {
            processor = new OrderStatsProcessor(TUMBLING, hopping, new PriceTicks(new BigDecimal("0.01")), GRACE,
                    "sink", metrics, new ClosedWindowWatermarks());
            processor.init(context);
        }

        void restart() {
            drain();
            processor.close();
            start();
        }

        void order(OrderEvent e, long ingestedAtMs) {
            RecordHeaders headers = new RecordHeaders();
            if (ingestedAtMs >= 0) {
                headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(ingestedAtMs));
            }
            processor.process(new Record<>(e.key(), e, e.eventTimeMs(), headers));
        }

        void tick(long streamTimeMs) {
            processor.process(new Record<>(null, new StreamTimeTick(streamTimeMs), streamTimeMs));
        }

        List<Out> drain() {
            for (var f : context.forwarded()) {
                Record<? extends String, ? extends OrderWindowStats> r = f.record();
                out.add(new Out(r.key(), r.value(), r.timestamp(),
                        Headers.lastLong(r.headers(), Headers.INGESTED_AT_MS, -1)));
            }
            context.resetForwards();
            return out;
        }

        List<String> closedStore(String name) {
            return closed.get(name);
        }

        /** Open store entries as "kind:time:key". */
        Set<String> openEntries() {
            Set<String> entries = new TreeSet<>();
            try (KeyValueIterator<Bytes, byte[]> it = open.all()) {
                while (it.hasNext()) {
                    Bytes k = it.next().key;
                    entries.add(OpenWindowCodec.family(k) + ":" + (OpenWindowCodec.end(k) - B) + ":"
                            + OpenWindowCodec.recordKey(k));
                }
            }
            return entries;
        }

        double gauge() {
            return registry.find("streamfleet.processor.stats.windows.open").gauge().value();
        }

        double skipped() {
            return registry.find("streamfleet.processor.stats.skipped.events").counter().count();
        }
    }

    /**
     * A closed-window store that records its puts: MockProcessorContext cannot host Kafka's window stores (they need
     * internal context features), and the processor only puts into them.
     */
    @SuppressWarnings("unchecked")
    private static WindowStore<String, OrderWindowStats> recordingWindowStore(String name, List<String> puts) {
        return (WindowStore<String, OrderWindowStats>) Proxy.newProxyInstance(
                OrderStatsProcessorTest.class.getClassLoader(), new Class<?>[] {WindowStore.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "put" -> {
                        puts.add(args[0] + "@" + args[2] + "=" + args[1]);
                        yield null;
                    }
                    case "name" -> name;
                    case "persistent" -> false;
                    case "isOpen" -> true;
                    case "flush", "close", "init" -> null;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "recording " + name;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** An order or a tick (order null), arriving at {@code arrivalMs} of stream time. */
    record Step(OrderEvent order, long ingestedAtMs, long tickMs, long arrivalMs) {
    }

    @Property(tries = 80)
    void shouldEmitTheSameRecordsWhenRestartedOnItsStateBetweenAnyTwoRecords(
            @ForAll("steps") List<Step> steps, @ForAll("restarts") List<Integer> restarts,
            @ForAll boolean oddHopping) {
        WindowSpec hopping = oddHopping ? new WindowSpec("hopping-25s", 25_000, 10_000) : HOPPING;
        Stats straight = new Stats(hopping);
        Stats restarted = new Stats(hopping);
        for (int i = 0; i < steps.size(); i++) {
            if (restarts.contains(i)) {
                restarted.restart();
            }
            apply(straight, steps.get(i));
            apply(restarted, steps.get(i));
        }
        long end = steps.stream().mapToLong(Step::arrivalMs).max().orElseThrow();
        restarted.restart();
        for (Stats s : List.of(straight, restarted)) {
            s.tick(end + 10 * 60_000);
        }

        assertThat(restarted.drain()).isEqualTo(straight.drain());
        for (String store : List.of(ProcessorStores.STATS_CLOSED_TUMBLING, ProcessorStores.STATS_CLOSED_HOPPING)) {
            assertThat(restarted.closedStore(store)).isEqualTo(straight.closedStore(store));
        }
        assertThat(restarted.skipped()).isEqualTo(straight.skipped());
        assertThat(restarted.openEntries()).as("every pane released once its last window closed").isEmpty();
        assertThat(restarted.gauge()).isZero();
    }

    private static void apply(Stats stats, Step step) {
        if (step.order() != null) {
            stats.order(step.order(), step.ingestedAtMs());
        } else {
            stats.tick(step.tickMs());
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<OrderEventType> types = Arbitraries.of(OrderEventType.class);
        Arbitrary<Double> prices = Arbitraries.of(9.99, 10.0, 10.005, 10.01, 123.45);
        Arbitrary<String> accounts = Arbitraries.of("a1", "a2");
        Arbitrary<Long> offsets = Arbitraries.longs().between(0, 150_000);
        Arbitrary<Long> ingested = Arbitraries.longs().between(-1, 9_999);
        // mostly within the grace; a delay beyond it lands behind closed windows (skipped, as after a restore lag)
        Arbitrary<Long> delays = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.longs().between(0, 2_500)),
                Tuple.of(1, Arbitraries.longs().between(3_000, 20_000)));
        Arbitrary<Step> orders = Combinators.combine(types, prices, accounts, offsets, ingested, delays)
                .as((type, price, account, offset, at, delay) -> new Step(order("o", account, "SYM", type, price, 2,
                        B + offset), at, 0, B + offset + delay));
        Arbitrary<Step> ticks = offsets.map(offset -> new Step(null, -1, B + offset, B + offset));
        return Arbitraries.frequencyOf(Tuple.of(3, orders), Tuple.of(1, ticks)).list().ofMinSize(1).ofMaxSize(80)
                .map(list -> list.stream().sorted(Comparator.comparingLong(Step::arrivalMs)).toList());
    }

    @Provide
    Arbitrary<List<Integer>> restarts() {
        return Arbitraries.integers().between(0, 80).list().ofMaxSize(4);
    }

    @Test
    void shouldKeepAPaneUntilTheLastHoppingWindowContainingItIsEmitted() {
        Stats stats = new Stats(HOPPING);
        stats.order(order("c1", "acc", "SYM", OrderEventType.CREATED, 10.0, 1, B + 5_000), -1);
        stats.tick(B + 13_000); // closes up to B+10 s: the tumbling window and the first hopping window

        assertThat(stats.drain()).extracting(o -> o.stats().window() + "@" + (o.stats().windowEndMs() - B))
                .containsExactly("tumbling-1s@6000", "hopping-1m@10000");
        assertThat(stats.openEntries()).containsExactly(OpenWindowCodec.PANE + ":0:acc|SYM");
        assertThat(stats.gauge()).isEqualTo(1.0);

        stats.restart();
        stats.tick(B + 62_999); // up to B+59.999 s: windows ending B+20 … B+50 s; the pane is still needed
        assertThat(stats.openEntries()).containsExactly(OpenWindowCodec.PANE + ":0:acc|SYM");

        stats.tick(B + 63_000); // the window [B, B+60 s) is the last one containing the pane
        assertThat(stats.drain()).extracting(o -> o.stats().windowEndMs() - B)
                .containsExactly(6_000L, 10_000L, 20_000L, 30_000L, 40_000L, 50_000L, 60_000L);
        assertThat(stats.openEntries()).isEmpty();
        assertThat(stats.gauge()).isZero();
    }

    @Test
    void shouldCountEveryClosedWindowAsSkippedAndFeedTheOpenOnesWhenAnOrderArrivesBehindTheWatermark() {
        Stats stats = new Stats(HOPPING);
        stats.tick(B + 33_000); // closed up to B+30 s, with nothing in it
        // B+25 s: its tumbling window [B+25, B+26 s) and hopping window [B-30, B+30 s) are closed; 5 are open
        stats.order(order("c1", "acc", "SYM", OrderEventType.CREATED, 10.0, 1, B + 25_000), 7);
        stats.tick(B + 10 * 60_000);

        assertThat(stats.skipped()).isEqualTo(2.0);
        assertThat(stats.drain()).extracting(o -> o.stats().window() + "@" + (o.stats().windowStartMs() - B))
                .containsExactly("hopping-1m@-20000", "hopping-1m@-10000", "hopping-1m@0", "hopping-1m@10000",
                        "hopping-1m@20000");
        assertThat(stats.out).allSatisfy(o -> assertThat(o.ingestedAtMs()).isEqualTo(7));
    }

    @Test
    void shouldMergeWholeHoppingWindowsOfTheEarlierLayoutIntoTheirWindowsWhenStateComesFromIt() {
        OrderEvent c1 = order("c1", "acc", "SYM", OrderEventType.CREATED, 10.0, 2, B + 5_000);
        OrderEvent x1 = order("x1", "acc", "SYM", OrderEventType.CANCELLED, 10.01, 1, B + 15_000);
        Stats fresh = new Stats(HOPPING);
        fresh.order(c1, 100);
        fresh.order(x1, 50);
        fresh.tick(B + 10 * 60_000);

        // state as the pre-pane version left it after c1: the tumbling window and six whole hopping windows
        Stats upgraded = new Stats(HOPPING);
        WindowAggregate afterC1 = WindowAggregate.empty().add(c1, 1000, 100);
        upgraded.open.put(OpenWindowCodec.key(B + 6_000, OpenWindowCodec.TUMBLING, "acc|SYM"),
                OpenWindowCodec.encode(afterC1));
        for (long start : HOPPING.startsFor(c1.eventTimeMs())) {
            upgraded.open.put(OpenWindowCodec.key(HOPPING.endOf(start), OpenWindowCodec.HOPPING, "acc|SYM"),
                    OpenWindowCodec.encode(afterC1));
        }
        KeyValueStore<String, Long> progress = upgraded.context.getStateStore(ProcessorStores.STATS_PROGRESS);
        progress.put("open", 3L); // the earlier layout's stored count, stale
        upgraded.restart();
        assertThat(upgraded.gauge()).as("counted from the store").isEqualTo(7.0);
        assertThat(progress.get("open")).isNull();
        upgraded.order(x1, 50);
        upgraded.tick(B + 10 * 60_000);

        assertThat(upgraded.drain()).hasSize(9).isEqualTo(fresh.drain());
        assertThat(upgraded.openEntries()).isEmpty();
        assertThat(upgraded.gauge()).isZero();
    }

    @Test
    void shouldCountOrdersOfThePaneLayoutOnceWhenItsOpenTumblingWindowGetsMoreOrdersAfterTheUpgrade() {
        OrderEvent c1 = order("c1", "acc", "SYM", OrderEventType.CREATED, 10.0, 2, B + 5_000);
        OrderEvent x1 = order("x1", "acc", "SYM", OrderEventType.CANCELLED, 10.01, 1, B + 5_500);
        OrderEvent c2 = order("c2", "acc", "SYM", OrderEventType.CREATED, 10.02, 4, B + 15_000);
        Stats fresh = new Stats(HOPPING);
        fresh.order(c1, 100);
        fresh.order(x1, 50);
        fresh.order(c2, 70);
        fresh.tick(B + 10 * 60_000);

        // state as the version before folding left it after c1: the order in its tumbling window (kind TUMBLING)
        // and in its pane; x1 then falls in the same, still open, tumbling window
        Stats upgraded = new Stats(HOPPING);
        WindowAggregate afterC1 = WindowAggregate.empty().add(c1, 1000, 100);
        upgraded.open.put(OpenWindowCodec.key(B + 6_000, OpenWindowCodec.TUMBLING, "acc|SYM"),
                OpenWindowCodec.encode(afterC1));
        upgraded.open.put(OpenWindowCodec.key(B, OpenWindowCodec.PANE, "acc|SYM"), OpenWindowCodec.encode(afterC1));
        upgraded.restart();
        assertThat(upgraded.gauge()).as("counted from the store").isEqualTo(2.0);
        upgraded.order(x1, 50);
        upgraded.order(c2, 70);
        assertThat(upgraded.openEntries()).containsExactlyInAnyOrder(
                OpenWindowCodec.TUMBLING + ":6000:acc|SYM", OpenWindowCodec.PANE + ":0:acc|SYM",
                OpenWindowCodec.FOLDING_TUMBLING + ":6000:acc|SYM", OpenWindowCodec.FOLDING_TUMBLING + ":16000:acc|SYM");
        upgraded.tick(B + 10 * 60_000);

        assertThat(upgraded.drain()).hasSize(2 + 7).isEqualTo(fresh.drain());
        assertThat(upgraded.closedStore(ProcessorStores.STATS_CLOSED_HOPPING))
                .isEqualTo(fresh.closedStore(ProcessorStores.STATS_CLOSED_HOPPING));
        assertThat(upgraded.openEntries()).isEmpty();
        assertThat(upgraded.gauge()).isZero();
    }

    @Test
    void shouldUpdateOnlyTheTumblingWindowPerOrderAndFoldItIntoItsPaneWhenItCloses() {
        OrderEvent c1 = order("c1", "acc", "SYM", OrderEventType.CREATED, 10.0, 2, B + 5_000);
        Stats stats = new Stats(HOPPING);
        stats.order(c1, 100);
        assertThat(stats.openEntries()).containsExactly(OpenWindowCodec.FOLDING_TUMBLING + ":6000:acc|SYM");

        stats.tick(B + 9_000); // closes the tumbling window ending B+6 s (grace 3 s)
        assertThat(stats.openEntries()).containsExactly(OpenWindowCodec.PANE + ":0:acc|SYM");
        assertThat(OpenWindowCodec.decode(stats.open.get(OpenWindowCodec.key(B, OpenWindowCodec.PANE, "acc|SYM"))))
                .isEqualTo(WindowAggregate.empty().add(c1, 1000, 100));
        assertThat(stats.gauge()).isEqualTo(1.0);
    }
}
