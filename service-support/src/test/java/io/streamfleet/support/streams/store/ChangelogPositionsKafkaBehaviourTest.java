package io.streamfleet.support.streams.store;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards what {@link ChangelogPositions} relies on in Kafka Streams (checked against 4.4.0), with real RocksDB stores,
 * transactional as the services run them, under exactly-once in a real Streams task ({@link TopologyTestDriver}):
 * each wrapped store writes beside an unwrapped twin fed the same records, and the two must be indistinguishable.
 * <ul>
 *   <li>offset vectors off (the services' setting): the changelog records, headers included, are the twin's, so Kafka
 *   uses the position it asks for on every write for nothing else; if an upgrade starts writing it regardless of the
 *   setting, the wrapped store's (empty) headers differ and this fails;</li>
 *   <li>offset vectors on: the headers carry the position at each write, taken from the store below the
 *   change-logging layer: evidence that Kafka still asks the wrapped store per write (the cost the wrapper removes),
 *   and that the wrapper then passes the real position through;</li>
 *   <li>the store's own position, which interactive queries are answered with, is the twin's, also after the task is
 *   closed and its stores reopened from disk.</li>
 * </ul>
 * If this fails after a Kafka upgrade, re-read {@code ChangeLogging*BytesStore.log} and
 * {@code ProcessorContextImpl.logChange} before changing the wrapper; removing its use is always safe.
 */
class ChangelogPositionsKafkaBehaviourTest {

    private static final String APP = "positions";
    private static final String INPUT = "in";
    private static final Duration RETENTION = Duration.ofHours(1);
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Instant START = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path stateDir;

    @Test
    void shouldWriteTheSameChangelogAndKeepTheSamePositionAsAnUnwrappedStoreWithOffsetVectorsOff() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(), config(false))) {
            pipe(driver, 0);

            for (String store : List.of("kv", "win")) {
                List<TestRecord<String, String>> wrapped = changelog(driver, store);
                List<TestRecord<String, String>> plain = changelog(driver, store + "-plain");
                assertThat(wrapped).as(store).hasSize(6);
                assertThat(described(wrapped)).as(store).isEqualTo(described(plain));
                assertThat(wrapped).as(store + ": no offset vector").allSatisfy(r ->
                        assertThat(r.headers().lastHeader("v")).isNull());
            }
            assertSamePositions(driver, 5);
        }
        try (TopologyTestDriver reopened = new TopologyTestDriver(topology(), config(false))) {
            // what a reopened store reports before its first write is Kafka's business (empty here): the twin's
            assertSamePositions(reopened, -1);
            pipe(reopened, 6);
            assertSamePositions(reopened, 5); // a new driver's input offsets start at 0 again

        }
    }

    @Test
    void shouldPassThePositionAtEachWriteToTheChangelogWithOffsetVectorsOn() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(), config(true))) {
            pipe(driver, 0);

            for (String store : List.of("kv", "win")) {
                List<TestRecord<String, String>> wrapped = changelog(driver, store);
                List<TestRecord<String, String>> plain = changelog(driver, store + "-plain");
                assertThat(wrapped).as(store).hasSize(6);
                assertThat(described(wrapped)).as(store).isEqualTo(described(plain));
                for (int i = 0; i < wrapped.size(); i++) {
                    assertThat(wrapped.get(i).headers().lastHeader("v")).as(store + " write " + i).isNotNull();
                }
            }
            assertSamePositions(driver, 5);
        }
    }

    /** The wrapped stores' query positions are their twins'; and {@code INPUT} at {@code lastOffset} unless -1. */
    private void assertSamePositions(TopologyTestDriver driver, long lastOffset) {
        KeyValueStore<String, String> kv = driver.getKeyValueStore("kv");
        KeyValueStore<String, String> kvPlain = driver.getKeyValueStore("kv-plain");
        QueryResult<String> kvResult = kv.query(KeyQuery.withKey("k1"), PositionBound.unbounded(),
                new QueryConfig(false));
        QueryResult<String> kvPlainResult = kvPlain.query(KeyQuery.withKey("k1"), PositionBound.unbounded(),
                new QueryConfig(false));
        assertThat(kvResult.isSuccess()).as(kvResult.toString()).isTrue();
        assertThat(kvResult.getResult()).isEqualTo(kvPlainResult.getResult()).isEqualTo(kv.get("k1"));
        assertThat(kvResult.getPosition()).isEqualTo(kvPlainResult.getPosition());

        WindowStore<String, String> win = driver.getWindowStore("win");
        WindowStore<String, String> winPlain = driver.getWindowStore("win-plain");
        var query = WindowKeyQuery.<String, String>withKeyAndWindowStartRange("k1", START, START.plus(RETENTION));
        QueryResult<WindowStoreIterator<String>> winResult = win.query(query, PositionBound.unbounded(),
                new QueryConfig(false));
        QueryResult<WindowStoreIterator<String>> winPlainResult = winPlain.query(query, PositionBound.unbounded(),
                new QueryConfig(false));
        assertThat(winResult.isSuccess()).as(winResult.toString()).isTrue();
        winResult.getResult().close();
        winPlainResult.getResult().close();
        assertThat(winResult.getPosition()).isEqualTo(winPlainResult.getPosition());
        if (lastOffset >= 0) {
            Position expected = Position.emptyPosition().withComponent(INPUT, 0, lastOffset);
            assertThat(kvResult.getPosition()).isEqualTo(expected);
            assertThat(winResult.getPosition()).isEqualTo(expected);
        }
    }

    private static void pipe(TopologyTestDriver driver, int first) {
        TestInputTopic<String, String> input = driver.createInputTopic(INPUT, new StringSerializer(),
                new StringSerializer());
        for (int i = first; i < first + 6; i++) {
            input.pipeInput("k" + (i % 3), "v" + i, START.plusSeconds(30L * i));
        }
    }

    private static List<TestRecord<String, String>> changelog(TopologyTestDriver driver, String store) {
        TestOutputTopic<String, String> topic = driver.createOutputTopic(APP + "-" + store + "-changelog",
                new StringDeserializer(), new StringDeserializer());
        return topic.readRecordsToList();
    }

    /** Key, value, timestamp and every header of each record (window changelog keys are binary: compared as is). */
    private static List<String> described(List<TestRecord<String, String>> records) {
        return records.stream().map(r -> r.key() + "|" + r.value() + "|" + r.timestamp() + "|"
                + Arrays.stream(r.headers().toArray()).map(ChangelogPositionsKafkaBehaviourTest::header).toList())
                .toList();
    }

    private static String header(Header header) {
        return header.key() + "=" + Arrays.toString(header.value());
    }

    private Properties config(boolean offsetVectors) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        if (offsetVectors) {
            props.put(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, true);
        }
        return props;
    }

    private static Topology topology() {
        Topology topology = new Topology();
        topology.addSource("source", Serdes.String().deserializer(), Serdes.String().deserializer(), INPUT);
        topology.addProcessor("writer", Writer::new, "source");
        topology.addStateStore(Stores.keyValueStoreBuilder(
                ChangelogPositions.keyValue(Stores.persistentKeyValueStore("kv")), Serdes.String(), Serdes.String())
                .withCachingDisabled(), "writer");
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore("kv-plain"), Serdes.String(), Serdes.String())
                .withCachingDisabled(), "writer");
        topology.addStateStore(Stores.windowStoreBuilder(ChangelogPositions.window(window("win")),
                Serdes.String(), Serdes.String()).withCachingDisabled(), "writer");
        topology.addStateStore(Stores.windowStoreBuilder(window("win-plain"), Serdes.String(), Serdes.String())
                .withCachingDisabled(), "writer");
        return topology;
    }

    private static WindowBytesStoreSupplier window(String name) {
        return Stores.persistentWindowStore(name, RETENTION, WINDOW, false);
    }

    /** Writes each record to all four stores. */
    private static final class Writer implements Processor<String, String, Void, Void> {

        private KeyValueStore<String, String> kv;
        private KeyValueStore<String, String> kvPlain;
        private WindowStore<String, String> win;
        private WindowStore<String, String> winPlain;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            kv = context.getStateStore("kv");
            kvPlain = context.getStateStore("kv-plain");
            win = context.getStateStore("win");
            winPlain = context.getStateStore("win-plain");
        }

        @Override
        public void process(Record<String, String> record) {
            kv.put(record.key(), record.value());
            kvPlain.put(record.key(), record.value());
            long windowStart = record.timestamp() - record.timestamp() % WINDOW.toMillis();
            win.put(record.key(), record.value(), windowStart);
            winPlain.put(record.key(), record.value(), windowStart);
        }
    }
}
