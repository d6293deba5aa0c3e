package io.streamfleet.processor.topology;

import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.stats.OrderWindowStats;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.processor.stats.WindowSpec;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.streamfleet.processor.support.Events.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hopping windows composed from panes, through the whole topology, against hand-computed windows. */
class HoppingPanesTopologyTest {

    private static final long B = 1_767_225_600_000L;

    private DriverHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void shouldComposeEachHoppingWindowFromAllPanesItSpansWhenOrdersFallInSeveralPanes() {
        h = new DriverHarness();
        // panes (10 s) B, B+10 s, B+30 s, B+50 s, B+60 s
        h.pipe(order("c1", "acc", "SYM", OrderEventType.CREATED, 10.00, 2, B + 5_000), 100);
        h.pipe(order("x1", "acc", "SYM", OrderEventType.CANCELLED, 10.00, 1, B + 15_000), 500);
        h.pipe(order("c2", "acc", "SYM", OrderEventType.CREATED, 10.01, 3, B + 35_000), 300);
        h.pipe(order("f1", "acc", "SYM", OrderEventType.FILLED, 10.02, 1, B + 59_999), -1);
        h.pipe(order("c3", "acc", "SYM", OrderEventType.CREATED, 10.01, 1, B + 61_000), 200);

        // stream time B+61 s, closed up to B+58 s: windows ending B+10 … B+50 s are out; the pane of c1 stays for
        // [B, B+60 s); open: the panes of c1, x1 and c2 (their tumbling windows closed and were folded in) and the
        // tumbling windows of f1 and c3, still open, which reach their panes B+50 s and B+60 s when they close
        assertThat(openEntries()).containsExactly("pane@0", "pane@10000", "pane@30000", "folding-tumbling@60000",
                "folding-tumbling@62000");
        assertThat(h.registry.find("streamfleet.processor.stats.windows.open").gauge().value()).isEqualTo(5.0);

        h.goIdle(Duration.ofMinutes(3));

        List<TestRecord<String, OrderWindowStats>> hopping = h.stats.readRecordsToList().stream()
                .filter(r -> r.value().window().equals("hopping-1m")).toList();
        assertThat(hopping).extracting(TestRecord::value).containsExactly(
                hop(-50, 1, 0, 0, 0.0, 1, 20.0),
                hop(-40, 1, 1, 0, 1.0, 1, 30.0),
                hop(-30, 1, 1, 0, 1.0, 1, 30.0),
                hop(-20, 2, 1, 0, 0.5, 2, 60.03),
                hop(-10, 2, 1, 0, 0.5, 2, 60.03),
                hop(0, 2, 1, 1, 0.5, 3, 70.05),
                hop(10, 2, 1, 1, 0.5, 3, 60.06),
                hop(20, 2, 0, 1, 0.0, 2, 50.06),
                hop(30, 2, 0, 1, 0.0, 2, 50.06),
                hop(40, 1, 0, 1, 0.0, 2, 20.03),
                hop(50, 1, 0, 1, 0.0, 2, 20.03),
                hop(60, 1, 0, 0, 0.0, 1, 10.01));
        assertThat(hopping).extracting(r -> Headers.lastLong(r.headers(), Headers.INGESTED_AT_MS, -1))
                .containsExactly(100L, 500L, 500L, 500L, 500L, 500L, 500L, 300L, 300L, 200L, 200L, 200L);
        assertThat(hopping).extracting(TestRecord::timestamp)
                .allSatisfy(ts -> assertThat((ts + 1 - B) % 10_000).isZero());
        assertThat(closedHopping("acc|SYM", B - 50_000, B + 60_000)).containsExactlyElementsOf(
                hopping.stream().map(TestRecord::value).toList());
        assertThat(openEntries()).as("every pane released").isEmpty();
        assertThat(h.registry.find("streamfleet.processor.stats.windows.open").gauge().value()).isZero();
    }

    @Test
    void shouldEmitHoppingWindowsOfTheirDefinitionWhenSizeIsNotAMultipleOfTheAdvance() {
        var d = ProcessorTopology.Settings.defaults().withPersistentStores(false);
        h = new DriverHarness(new ProcessorTopology.Settings(d.topics(), d.dedupRetention(), d.ordersLateness(),
                d.engagementLateness(), d.statsGrace(), d.tumbling(),
                WindowSpec.hopping(Duration.ofSeconds(25), Duration.ofSeconds(10)), d.priceTick(),
                d.queryRetention(), d.progress(), d.punctuationInterval(), false));
        // 25 s windows starting every 10 s, composed of 5 s panes
        h.pipe(order("c1", "acc", "SYM", OrderEventType.CREATED, 10.00, 1, B + 3_000), 10);
        h.pipe(order("x1", "acc", "SYM", OrderEventType.CANCELLED, 10.01, 1, B + 12_000), 30);
        h.pipe(order("c2", "acc", "SYM", OrderEventType.CREATED, 10.02, 2, B + 27_000), 20);
        h.goIdle(Duration.ofMinutes(2));

        assertThat(h.statsOf("hopping-25s")).containsExactly(
                odd(-20, 1, 0, 1, 10.0),
                odd(-10, 1, 1, 2, 20.01),
                odd(0, 1, 1, 2, 20.01),
                odd(10, 1, 1, 2, 30.05),
                odd(20, 1, 0, 1, 20.04));
        assertThat(openEntries()).isEmpty();
    }

    @Test
    void shouldRejectAHoppingFamilyOfMoreThanAThousandPanesWhenSettingsAreBuilt() {
        var d = ProcessorTopology.Settings.defaults();
        var tinyPanes = WindowSpec.hopping(Duration.ofMillis(60_001), Duration.ofSeconds(10));

        assertThatThrownBy(() -> new ProcessorTopology.Settings(d.topics(), d.dedupRetention(), d.ordersLateness(),
                d.engagementLateness(), d.statsGrace(), d.tumbling(), tinyPanes, d.priceTick(), d.queryRetention(),
                d.progress(), d.punctuationInterval(), true))
                .hasMessageContaining("60001 panes of 1 ms").hasMessageContaining("at most 1000");
    }

    private static OrderWindowStats hop(long startS, long created, long cancelled, long filled, double ratio,
                                        int levels, double notional) {
        long start = B + startS * 1000;
        return new OrderWindowStats("acc|SYM", "hopping-1m", start, start + 60_000, created, cancelled, filled,
                ratio, levels, notional);
    }

    private static OrderWindowStats odd(long startS, long created, long cancelled, int levels, double notional) {
        long start = B + startS * 1000;
        double ratio = cancelled == 0 ? 0.0 : (double) cancelled / created;
        return new OrderWindowStats("acc|SYM", "hopping-25s", start, start + 25_000, created, cancelled, 0, ratio,
                levels, notional);
    }

    /** Entries of the open store as "kind@time − B" in store order. */
    private List<String> openEntries() {
        KeyValueStore<Bytes, byte[]> open = h.driver.getKeyValueStore(ProcessorStores.STATS_OPEN_WINDOWS);
        List<String> entries = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = open.all()) {
            while (it.hasNext()) {
                Bytes k = it.next().key;
                String kind = switch (OpenWindowCodec.family(k)) {
                    case OpenWindowCodec.TUMBLING -> "tumbling";
                    case OpenWindowCodec.PANE -> "pane";
                    case OpenWindowCodec.FOLDING_TUMBLING -> "folding-tumbling";
                    default -> "hopping";
                };
                entries.add(kind + "@" + (OpenWindowCodec.end(k) - B));
            }
        }
        return entries;
    }

    private List<OrderWindowStats> closedHopping(String key, long from, long to) {
        WindowStore<String, OrderWindowStats> store = h.driver.getWindowStore(ProcessorStores.STATS_CLOSED_HOPPING);
        List<OrderWindowStats> found = new ArrayList<>();
        try (var it = store.fetch(key, from, to)) {
            it.forEachRemaining(kv -> found.add(kv.value));
        }
        return found;
    }
}
