package io.streamfleet.session.bench;

import io.streamfleet.support.kafka.KafkaClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.session.topology.SessionMetrics;
import io.streamfleet.session.topology.SessionSettings;
import io.streamfleet.session.topology.SessionTopology;
import io.streamfleet.support.rocksdb.BoundedMemoryRocksDbConfig;
import io.streamfleet.support.streams.StreamsConfigFactory;
import io.streamfleet.support.streams.StreamsRuntimeProperties;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.SteadyStateMeter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Throughput of session-analytics on a generated multi-user stream: first the topology alone in a
 * {@link TopologyTestDriver} with in-memory stores, then a fresh exactly-once {@link KafkaStreams} client with the
 * fleet's settings against the in-JVM broker, timed until it has consumed a pre-loaded {@code engagement.clean}.
 * As stream-processor does, the input carries stream-time marks between the events (one per partition every
 * {@value #MARK_EVERY} events, at the highest event time so far, which never makes a later event late) and a final
 * mark past the last session, which closes every session still open. Loopback only, bounded in time. Run:
 * <pre>
 * mvn -B -q -o -pl session-analytics test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.streamfleet.session.bench.SessionBenchmark [-Dbench.users=20000 -Dbench.events=600000]
 * </pre>
 */
public final class SessionBenchmark {

    private static final long MIN = 60_000;
    private static final int MARK_EVERY = 1_000;
    /** Arrival jitter (60 s by default); 0 gives the live order, where most events move stream time. */
    private static final long JITTER_MS = Long.getLong("bench.jitterMs", 60_000);
    /** Past the end of every generated session: last event + gap + grace + 1 ms. */
    private static final long AFTER_LAST = 30 * MIN + 120_000 + 1;
    /** The service's own overrides of the fleet's Streams settings (application.yaml). */
    private static final Map<String, String> SERVICE_OVERRIDES = Map.of("statestore.cache.max.bytes",
            System.getProperty("bench.cacheBytes", "1048576"), "max.task.idle.ms", "-1");

    private SessionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int users = Integer.getInteger("bench.users", 20_000);
        int total = Integer.getInteger("bench.events", 600_000);
        List<EngagementEvent> events = generate(users, total, 42);
        System.out.printf("stream: %,d events of %,d users, ~%d events per session, sessions 35-60 min apart%n",
                events.size(), users, 10);
        if (!Boolean.getBoolean("bench.brokerOnly")) {
            driverRun(events.subList(0, Math.min(events.size(), 200_000)));
            driverRun(events);
        }
        brokerRun(events);
        // stopped in order before the exit, as the other benchmarks do (its data directory goes with it)
        SharedKafkaBroker.stop();
        System.exit(0);
    }

    /** Users cycle through sessions of ~10 events, 20-40 s apart; sessions separated by 35-60 min of event time. */
    static List<EngagementEvent> generate(int users, int total, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long base = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        long[] next = new long[users];
        int[] left = new int[users];
        for (int u = 0; u < users; u++) {
            next[u] = base + rng.nextLong(60 * MIN);
            left[u] = 5 + rng.nextInt(11);
        }
        List<EngagementEvent> events = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            int u = rng.nextInt(users);
            EngagementEventType type = switch (rng.nextInt(5)) {
                case 0 -> EngagementEventType.VIEW_START;
                case 1 -> EngagementEventType.CLICK;
                case 2 -> EngagementEventType.SCROLL;
                default -> EngagementEventType.VIEW_END;
            };
            long dwell = type == EngagementEventType.VIEW_END ? 1_000 + rng.nextInt(60_000) : 0;
            events.add(new EngagementEvent("b" + i, "user-" + u, "c" + rng.nextInt(1000), type, next[u], dwell,
                    rng.nextBoolean()));
            if (--left[u] == 0) {
                next[u] += 35 * MIN + rng.nextLong(25 * MIN);
                left[u] = 5 + rng.nextInt(11);
            } else {
                next[u] += 20_000 + rng.nextInt(20_000);
            }
        }
        // arrival in event-time order, with up to 60 s of jitter (inside the 120 s grace; bench.jitterMs)
        record Arrival(EngagementEvent event, long at) {
        }
        List<Arrival> arrivals = new ArrayList<>(total);
        for (EngagementEvent e : events) {
            arrivals.add(new Arrival(e, e.eventTimeMs() + (JITTER_MS == 0 ? 0 : rng.nextLong(JITTER_MS))));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at));
        return arrivals.stream().map(Arrival::event).toList();
    }

    private static void driverRun(List<EngagementEvent> events) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "session-bench");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        Path stateDir = Files.createTempDirectory("session-bench-ttd");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // in-memory stores: the test driver commits (and so flushes RocksDB) after every record, which would measure
        // SST-file creation rather than the processor
        SessionTopology.TopicNames d = SessionTopology.TopicNames.defaults();
        var topology = SessionTopology.build(new SessionTopology.TopicNames(d.inputTopic(), d.sessionsTopic(),
                d.alertsTopic(), d.lateTopic(), false), SessionSettings.defaults(), new SessionMetrics(registry));
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            TestInputTopic<String, EngagementEvent> input = driver.createInputTopic(Topics.ENGAGEMENT_CLEAN.name(),
                    Topics.KEY.serializer(), Topics.ENGAGEMENT_EVENT_SERDE.serializer());
            long started = System.nanoTime();
            long max = Long.MIN_VALUE;
            int sent = 0;
            for (EngagementEvent e : events) {
                input.pipeInput(e.userId(), e, e.eventTimeMs());
                max = Math.max(max, e.eventTimeMs());
                if (++sent % MARK_EVERY == 0) {
                    input.pipeInput(new TestRecord<>(null, null, ProgressRecords.headers(mark(max)), (Instant) null));
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double sessions = registry.get("streamfleet.session.closed").counter().count();
            System.out.printf("TopologyTestDriver, in-memory stores, JSON serdes: %,d events in %.2f s = %,.0f events/s;"
                            + " %,.0f sessions closed (%,.0f sessions/s), %,.0f alerts, %,.0f late%n",
                    events.size(), seconds, events.size() / seconds, sessions, sessions / seconds,
                    registry.get("streamfleet.session.alerts").counter().count(),
                    registry.get("streamfleet.session.late.events").counter().count());
            input.pipeInput(new TestRecord<>(null, null, ProgressRecords.headers(mark(max + AFTER_LAST)),
                    (Instant) null));
            System.out.printf("  after the final stream-time mark: %,.0f sessions closed, %,.0f alerts%n",
                    registry.get("streamfleet.session.closed").counter().count(),
                    registry.get("streamfleet.session.alerts").counter().count());
        }
        Utils.delete(stateDir.toFile());
    }

    private static ProgressMark mark(long streamTimeMs) {
        return ProgressMark.streamTime("stream-processor", streamTimeMs);
    }

    private static void brokerRun(List<EngagementEvent> events) throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 262_144, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        String topic = Topics.ENGAGEMENT_CLEAN.name();
        int marks = 0;
        try (var producer = new KafkaProducer<>(producerConfig, Topics.KEY.serializer(),
                Topics.ENGAGEMENT_EVENT_SERDE.serializer())) {
            int partitions = producer.partitionsFor(topic).size();
            long max = Long.MIN_VALUE;
            int sent = 0;
            for (EngagementEvent e : events) {
                producer.send(new ProducerRecord<>(topic, e.userId(), e));
                max = Math.max(max, e.eventTimeMs());
                if (++sent % MARK_EVERY == 0 || sent == events.size()) {
                    long at = sent == events.size() ? max + AFTER_LAST : max;
                    for (int p = 0; p < partitions; p++) {
                        producer.send(ProgressRecords.record(topic, p, mark(at)));
                        marks++;
                    }
                }
            }
            producer.flush();
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        var topology = SessionTopology.build(SessionTopology.TopicNames.defaults(), SessionSettings.defaults(),
                new SessionMetrics(registry));
        Path stateDir = Files.createTempDirectory("session-bench-state");
        var settings = new StreamsRuntimeProperties("session-bench-" + UUID.randomUUID(), bootstrap,
                stateDir.toString(), 1, Duration.ofMillis(100), (short) 1,
                67_108_864L, 16_777_216L, "INFO", "", Duration.ofSeconds(10), SERVICE_OVERRIDES);
        try (KafkaStreams streams = new KafkaStreams(topology, StreamsConfigFactory.create(
                KafkaClients.forBootstrapServers(bootstrap), settings))) {
            long started = System.nanoTime();
            streams.start();
            SteadyStateMeter.Result steady = SteadyStateMeter.await(() -> received(registry), events.size(),
                    Duration.ofSeconds(120));
            double seconds = (System.nanoTime() - started) / 1e9;
            double sessions = registry.get("streamfleet.session.closed").counter().count();
            System.out.printf("real broker, exactly_once_v2, RocksDB, 1 stream thread, 3 partitions: %,.0f of %,d events"
                            + " in %.2f s incl. start-up and rebalance = %,.0f events/s; %,.0f sessions closed"
                            + " (%,.0f sessions/s), %,.0f alerts; RocksDB off-heap %,d of %,d bytes%n",
                    steady.total(), events.size(), seconds, steady.total() / seconds, sessions, sessions / seconds,
                    registry.get("streamfleet.session.alerts").counter().count(),
                    BoundedMemoryRocksDbConfig.usedOffHeapBytes(), BoundedMemoryRocksDbConfig.configuredOffHeapBytes());
            System.out.println("  " + steady.describe());
            long marksDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < marksDeadline && marksRead(registry) < marks) {
                Thread.sleep(50);
            }
            System.out.printf("  after the final stream-time marks (%,.0f of %,d marks read): %,.0f sessions closed,"
                            + " %,.0f alerts%n", marksRead(registry), marks,
                    registry.get("streamfleet.session.closed").counter().count(),
                    registry.get("streamfleet.session.alerts").counter().count());
        }
        // the RocksDB state of a run is of no further use, and several runs filled /tmp once
        Utils.delete(stateDir.toFile());
    }

    private static double marksRead(SimpleMeterRegistry registry) {
        var counter = registry.find("streamfleet.session.progress.marks").counter();
        return counter == null ? 0 : counter.count();
    }

    private static double received(SimpleMeterRegistry registry) {
        return registry.find("streamfleet.session.events").counters().stream().mapToDouble(c -> c.count()).sum()
                + registry.get("streamfleet.session.late.events").counter().count();
    }
}
