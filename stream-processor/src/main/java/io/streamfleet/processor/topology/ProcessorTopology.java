package io.streamfleet.processor.topology;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.json.EngagementEventReader;
import io.streamfleet.contracts.json.OrderEventReader;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.processor.dedup.DedupRule;
import io.streamfleet.processor.lateness.LatenessRule;
import io.streamfleet.processor.stats.PriceTicks;
import io.streamfleet.processor.stats.WindowSpec;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import io.streamfleet.support.progress.ProgressRules;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * {@code orders.raw → dedup + lateness → orders.clean | orders.late}, accepted orders → windowed stats →
 * {@code orders.stats}; {@code engagement.raw → dedup + lateness → engagement.clean | engagement.late}. Records keep their
 * partition number from raw to clean, and each gate writes its stream-time marks after the data they cover. A plain class:
 * settings come in as records, Spring only runs the result.
 */
public final class ProcessorTopology {

    public static final String ORDERS_SOURCE = "orders-raw-source";
    public static final String ORDERS_GATE = "orders-dedup-lateness";
    public static final String ORDERS_CLEAN_SINK = "orders-clean-sink";
    public static final String ORDERS_LATE_SINK = "orders-late-sink";
    public static final String STATS_PROCESSOR = "orders-window-stats";
    public static final String STATS_SINK = "orders-stats-sink";
    public static final String ENGAGEMENT_SOURCE = "engagement-raw-source";
    public static final String ENGAGEMENT_GATE = "engagement-dedup-lateness";
    public static final String ENGAGEMENT_CLEAN_SINK = "engagement-clean-sink";
    public static final String ENGAGEMENT_LATE_SINK = "engagement-late-sink";
    /**
     * Hopping windows are merged from panes of gcd(size, advance) (6 of 10 s by default); a size and advance with a
     * tiny common divisor (60 001 ms / 10 s: 1 ms panes) would keep about one pane per order.
     */
    static final long MAX_PANES_PER_WINDOW = 1_000;

    private ProcessorTopology() {
    }

    /** Topic names of one deployment. */
    public record TopicNames(String ordersRaw, String ordersClean, String ordersLate, String ordersStats,
                             String engagementRaw, String engagementClean, String engagementLate) {

        public static TopicNames defaults() {
            return new TopicNames(Topics.ORDERS_RAW.name(), Topics.ORDERS_CLEAN.name(), Topics.ORDERS_LATE.name(),
                    Topics.ORDERS_STATS.name(), Topics.ENGAGEMENT_RAW.name(), Topics.ENGAGEMENT_CLEAN.name(),
                    Topics.ENGAGEMENT_LATE.name());
        }

        public List<String> inputs() {
            return List.of(ordersRaw, engagementRaw);
        }
    }

    /**
     * Everything the topology needs.
     *
     * @param dedupRetention      how long (event time) an eventId is remembered
     * @param ordersLateness      allowed lateness of orders
     * @param engagementLateness  allowed lateness of engagement events
     * @param statsGrace          how long after its end a window stays open; at least the orders lateness
     * @param tumbling            the tumbling family (1 s)
     * @param hopping             the hopping family (1 min advancing 10 s)
     * @param priceTick           tick size for distinct price levels
     * @param queryRetention      how long closed windows stay queryable (event time)
     * @param progress            how progress records of the gateway move an idle partition's stream time
     * @param punctuationInterval how often stream time and store sizes are reported as metrics (never moves time)
     * @param persistentStores    RocksDB (true) or in-memory stores (tests, benchmarks); both changelogged
     */
    public record Settings(TopicNames topics, Duration dedupRetention, Duration ordersLateness,
                           Duration engagementLateness, Duration statsGrace, WindowSpec tumbling, WindowSpec hopping,
                           BigDecimal priceTick, Duration queryRetention, ProgressRules progress,
                           Duration punctuationInterval, boolean persistentStores) {

        public Settings {
            if (statsGrace.compareTo(ordersLateness) < 0) {
                throw new IllegalArgumentException("stats grace (" + statsGrace + ") must be at least the orders "
                        + "lateness (" + ordersLateness + "), or accepted orders could miss closed windows");
            }
            if (queryRetention.toMillis() < hopping.sizeMs()) {
                throw new IllegalArgumentException("query retention (" + queryRetention
                        + ") must cover a hopping window (" + hopping.sizeMs() + " ms)");
            }
            long panes = hopping.sizeMs() / hopping.paneMs();
            if (panes > MAX_PANES_PER_WINDOW) {
                throw new IllegalArgumentException("hopping window " + hopping.sizeMs() + " ms advancing "
                        + hopping.advanceMs() + " ms would be composed of " + panes + " panes of "
                        + hopping.paneMs() + " ms (their greatest common divisor); at most " + MAX_PANES_PER_WINDOW
                        + " are allowed: choose a size and advance with a larger common divisor");
            }
            if (punctuationInterval.toMillis() < 1 || progress == null) {
                throw new IllegalArgumentException("punctuation interval must be >= 1 ms and progress rules set");
            }
        }

        public static Settings defaults() {
            return new Settings(TopicNames.defaults(), Duration.ofMinutes(10), Duration.ofSeconds(3),
                    Duration.ofSeconds(120), Duration.ofSeconds(3), WindowSpec.tumbling(Duration.ofSeconds(1)),
                    WindowSpec.hopping(Duration.ofMinutes(1), Duration.ofSeconds(10)), new BigDecimal("0.01"),
                    Duration.ofMinutes(10), ProgressRules.defaults(), Duration.ofMillis(100), true);
        }

        public Settings withPersistentStores(boolean persistent) {
            return new Settings(topics, dedupRetention, ordersLateness, engagementLateness, statsGrace, tumbling,
                    hopping, priceTick, queryRetention, progress, punctuationInterval, persistent);
        }
    }

    public static Topology build(Settings s, ProcessorMetrics metrics, ClosedWindowWatermarks watermarks) {
        Topology topology = new Topology();
        TopicNames t = s.topics();
        EventTimeExtractor extractor = new EventTimeExtractor();
        DedupRule dedup = DedupRule.of(s.dedupRetention());

        LatenessRule orderLateness = LatenessRule.of(s.ordersLateness());
        var orderWiring = new EventGateProcessor.Wiring(t.ordersRaw(), ProcessorStores.DEDUP_ORDER_IDS,
                ProcessorStores.LATENESS_ORDER_TIME, ORDERS_CLEAN_SINK, ORDERS_LATE_SINK, STATS_PROCESSOR);
        var orderAccess = new EventGateProcessor.EventAccess<OrderEvent>(OrderEvent::eventId,
                OrderEvent::eventTimeMs, OrderEvent::key);
        topology.addSource(AutoOffsetReset.earliest(), ORDERS_SOURCE, extractor, Topics.KEY.deserializer(),
                ProgressRecords.skipping(
                        new CanonicalOrderReader(new OrderEventReader(metrics::orderJsonFallback))), t.ordersRaw());
        topology.addProcessor(ORDERS_GATE, () -> new EventGateProcessor<>(orderWiring, orderAccess, dedup,
                orderLateness, s.progress(), s.punctuationInterval(), metrics), ORDERS_SOURCE);
        topology.addStateStore(ProcessorStores.dedupIds(ProcessorStores.DEDUP_ORDER_IDS,
                dedup.storeRetentionMs(orderLateness.allowedLatenessMs()), s.persistentStores()), ORDERS_GATE);
        topology.addStateStore(ProcessorStores.streamTime(ProcessorStores.LATENESS_ORDER_TIME, s.persistentStores()),
                ORDERS_GATE);
        PriceTicks ticks = new PriceTicks(s.priceTick());
        long grace = s.statsGrace().toMillis();
        topology.addProcessor(STATS_PROCESSOR, () -> new OrderStatsProcessor(s.tumbling(), s.hopping(), ticks, grace,
                STATS_SINK, metrics, watermarks), ORDERS_GATE);
        topology.addStateStore(ProcessorStores.openWindows(s.persistentStores()), STATS_PROCESSOR);
        topology.addStateStore(ProcessorStores.progress(s.persistentStores()), STATS_PROCESSOR);
        topology.addStateStore(ProcessorStores.closed(ProcessorStores.STATS_CLOSED_TUMBLING, s.queryRetention(),
                s.tumbling().sizeMs(), s.persistentStores()), STATS_PROCESSOR);
        topology.addStateStore(ProcessorStores.closed(ProcessorStores.STATS_CLOSED_HOPPING, s.queryRetention(),
                s.hopping().sizeMs(), s.persistentStores()), STATS_PROCESSOR);
        // the contract serde's bytes, written without databind (OrderJsonWriter)
        Serializer<OrderEvent> orders = new OrderJsonWriter();
        topology.addSink(ORDERS_CLEAN_SINK, t.ordersClean(), Topics.KEY.serializer(), Routed.serializer(orders),
                Routed.partitioner(), ORDERS_GATE);
        topology.addSink(ORDERS_LATE_SINK, t.ordersLate(), Topics.KEY.serializer(), orders, ORDERS_GATE);
        topology.addSink(STATS_SINK, t.ordersStats(), Topics.KEY.serializer(), Topics.ORDER_STATS_SERDE.serializer(),
                STATS_PROCESSOR);

        LatenessRule engagementLateness = LatenessRule.of(s.engagementLateness());
        var engagementWiring = new EventGateProcessor.Wiring(t.engagementRaw(), ProcessorStores.DEDUP_ENGAGEMENT_IDS,
                ProcessorStores.LATENESS_ENGAGEMENT_TIME, ENGAGEMENT_CLEAN_SINK, ENGAGEMENT_LATE_SINK, null);
        var engagementAccess = new EventGateProcessor.EventAccess<EngagementEvent>(EngagementEvent::eventId,
                EngagementEvent::eventTimeMs, EngagementEvent::key);
        topology.addSource(AutoOffsetReset.earliest(), ENGAGEMENT_SOURCE, extractor, Topics.KEY.deserializer(),
                ProgressRecords.skipping(new EngagementEventReader()), t.engagementRaw());
        topology.addProcessor(ENGAGEMENT_GATE, () -> new EventGateProcessor<>(engagementWiring, engagementAccess,
                dedup, engagementLateness, s.progress(), s.punctuationInterval(), metrics),
                ENGAGEMENT_SOURCE);
        topology.addStateStore(ProcessorStores.dedupIds(ProcessorStores.DEDUP_ENGAGEMENT_IDS,
                dedup.storeRetentionMs(engagementLateness.allowedLatenessMs()), s.persistentStores()),
                ENGAGEMENT_GATE);
        topology.addStateStore(ProcessorStores.streamTime(ProcessorStores.LATENESS_ENGAGEMENT_TIME,
                s.persistentStores()), ENGAGEMENT_GATE);
        Serializer<EngagementEvent> engagement = Topics.ENGAGEMENT_EVENT_SERDE.serializer();
        topology.addSink(ENGAGEMENT_CLEAN_SINK, t.engagementClean(), Topics.KEY.serializer(),
                Routed.serializer(engagement), Routed.partitioner(), ENGAGEMENT_GATE);
        topology.addSink(ENGAGEMENT_LATE_SINK, t.engagementLate(), Topics.KEY.serializer(), engagement,
                ENGAGEMENT_GATE);
        return topology;
    }

    /** The window families' names, for metrics. */
    public static List<String> windowFamilies(Settings s) {
        return List.of(s.tumbling().name(), s.hopping().name());
    }
}
