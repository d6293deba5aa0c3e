package io.streamfleet.cep.bench;

import io.streamfleet.support.kafka.KafkaClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.cep.operator.CepMetrics;
import io.streamfleet.cep.operator.DetectorSettings;
import io.streamfleet.cep.topology.CepTopology;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.support.streams.ManagedKafkaStreams;
import io.streamfleet.support.streams.StreamsRuntimeProperties;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.SteadyStateMeter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Pre-loads orders.clean on the in-JVM broker, each partition closed by a stream-time mark 30 s past the newest
 * event (what stream-processor writes when its input goes quiet), then times a fresh exactly-once KafkaStreams client
 * (RocksDB stores, the fleet's settings from service-support) until it has consumed every event, and waits for the
 * marks to evaluate the tail. Loopback only, bounded in time.
 */
final class RealBrokerRun {

    /** The service's own overrides of the fleet's Streams settings (application.yaml): the buffer's record cache. */
    static final Map<String, String> SERVICE_OVERRIDES = Map.of("statestore.cache.max.bytes",
            System.getProperty("cep.bench.cacheBytes", "16777216"));

    private RealBrokerRun() {
    }

    static void run(List<OrderEvent> events) throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 262_144, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        int partitions;
        try (var producer = new KafkaProducer<>(producerConfig, Topics.KEY.serializer(),
                Topics.ORDER_EVENT_SERDE.serializer())) {
            long newest = Long.MIN_VALUE;
            for (OrderEvent event : events) {
                producer.send(new ProducerRecord<>(Topics.ORDERS_CLEAN.name(), event.key(), event));
                newest = Math.max(newest, event.eventTimeMs());
            }
            List<PartitionInfo> infos = producer.partitionsFor(Topics.ORDERS_CLEAN.name());
            for (PartitionInfo info : infos) {
                producer.send(ProgressRecords.record(Topics.ORDERS_CLEAN.name(), info.partition(),
                        ProgressMark.streamTime("stream-processor", newest + 30_000)));
            }
            partitions = infos.size();
            producer.flush();
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Path stateDir = Files.createTempDirectory("cep-bench-state");
        var settings = new StreamsRuntimeProperties("cep-bench-" + UUID.randomUUID(), bootstrap,
                stateDir.toString(), 1, Duration.ofMillis(100), (short) 1,
                67_108_864L, 16_777_216L, "INFO", "", Duration.ofSeconds(10), SERVICE_OVERRIDES);
        var topology = CepTopology.build(CepTopology.Settings.defaults(), DetectorSettings.defaults(),
                new CepMetrics(registry, Topics.ORDERS_CLEAN.name()));
        ManagedKafkaStreams managed = new ManagedKafkaStreams(topology, settings,
                KafkaClients.forBootstrapServers(bootstrap), registry);
        try {
            long started = System.nanoTime();
            managed.start();
            SteadyStateMeter.Result steady = SteadyStateMeter.await(() -> received(registry), events.size(),
                    Duration.ofSeconds(90));
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("end-to-end (real broker, exactly_once_v2, RocksDB, 1 stream thread): %,.0f of %,d events "
                            + "in %.2f s incl. start-up and rebalance = %,.0f events/s, %,.0f alerts%n",
                    steady.total(), events.size(), seconds, steady.total() / seconds,
                    registry.get("streamfleet.cep.alerts").counter().count());
            System.out.println("  " + steady.describe());
            long marksDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < marksDeadline
                    && registry.get("streamfleet.cep.progress.marks").counter().count() < partitions) {
                Thread.sleep(50);
            }
            System.out.printf("  after the closing progress marks: %,.0f alerts, %,.0f late events%n",
                    registry.get("streamfleet.cep.alerts").counter().count(),
                    registry.get("streamfleet.cep.late.events").counter().count());
            changelogRecords(bootstrap, settings.applicationId(), events.size());
        } finally {
            managed.stop();
            // the RocksDB state of a run is of no further use, and several runs filled /tmp once
            Utils.delete(stateDir.toFile());
        }
    }

    /**
     * Records written to each changelog of the run per input order (end offsets, so transaction markers are in too:
     * one per partition and commit, a few thousand against the millions of store writes): the store-write count, which
     * unlike CPU time does not depend on the machine's load.
     */
    private static void changelogRecords(String bootstrap, String applicationId, int orders) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<String> changelogs = admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(applicationId) && t.endsWith("-changelog")).sorted().toList();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(changelogs).allTopicNames().get().forEach((topic, description) ->
                    description.partitions().forEach(p ->
                            request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<String, Long> perTopic = new TreeMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) ->
                    perTopic.merge(tp.topic().substring(applicationId.length() + 1), info.offset(), Long::sum));
            StringBuilder line = new StringBuilder("  changelog records per order:");
            long total = 0;
            for (Map.Entry<String, Long> entry : perTopic.entrySet()) {
                line.append(String.format(" %s %.3f", entry.getKey().replace("-changelog", ""),
                        entry.getValue() / (double) orders));
                total += entry.getValue();
            }
            System.out.println(line.append(String.format(", all %.3f", total / (double) orders)));
            changelogBytes(admin, applicationId, orders);
        }
    }

    /**
     * Bytes of each changelog's log per input order at the end of the run: what the broker appended (and its log
     * cleaner would compact later), read from the broker's log directories. The cleaner never touches the active
     * segment, which at the test broker's segment size holds a whole run.
     */
    private static void changelogBytes(Admin admin, String applicationId, int orders) throws Exception {
        List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
        Map<String, Long> perTopic = new TreeMap<>();
        admin.describeLogDirs(brokers).allDescriptions().get().values().forEach(dirs -> dirs.values().forEach(dir ->
                dir.replicaInfos().forEach((tp, replica) -> {
                    if (tp.topic().startsWith(applicationId) && tp.topic().endsWith("-changelog")) {
                        perTopic.merge(tp.topic().substring(applicationId.length() + 1).replace("-changelog", ""),
                                replica.size(), Long::sum);
                    }
                })));
        StringBuilder line = new StringBuilder("  changelog bytes per order:");
        long total = 0;
        for (Map.Entry<String, Long> entry : perTopic.entrySet()) {
            line.append(String.format(" %s %.0f", entry.getKey(), entry.getValue() / (double) orders));
            total += entry.getValue();
        }
        System.out.println(line.append(String.format(", all %.0f", total / (double) orders)));
    }

    private static double received(SimpleMeterRegistry registry) {
        return registry.find("streamfleet.cep.events").counters().stream().mapToDouble(c -> c.count()).sum()
                + registry.get("streamfleet.cep.late.events").counter().count();
    }
}
