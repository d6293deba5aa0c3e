package io.streamfleet.cep.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.support.time.BacklogProbe;
import io.streamfleet.cep.operator.CepMetrics;
import io.streamfleet.cep.operator.DetectorSettings;
import io.streamfleet.cep.topology.CepTopology;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.support.streams.ManagedKafkaStreams;
import io.streamfleet.support.streams.InputLogWatch;
import io.streamfleet.support.streams.StreamsLagBacklogProbe;
import io.streamfleet.support.streams.UpstreamProgress;
import io.streamfleet.support.streams.StreamsRuntimeProperties;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Pre-loads orders.clean on the in-JVM broker, then times a fresh exactly-once KafkaStreams client (RocksDB stores,
 * the fleet's settings from service-support) until it has consumed every event. Loopback only, bounded in time.
 */
final class RealBrokerRun {

    private RealBrokerRun() {
    }

    static void run(List<OrderEvent> events) throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 262_144, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (var producer = new KafkaProducer<>(producerConfig, Topics.KEY.serializer(),
                Topics.ORDER_EVENT_SERDE.serializer())) {
            for (OrderEvent event : events) {
                producer.send(new ProducerRecord<>(Topics.ORDERS_CLEAN.name(), event.key(), event));
            }
            producer.flush();
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DetectorSettings detector = new DetectorSettings(DetectorSettings.defaults().burst(), Duration.ofMillis(Long.getLong("cep.bench.idleMs", 1000)), Duration.ofMillis(100));
        var settings = new StreamsRuntimeProperties("cep-bench-" + UUID.randomUUID(), bootstrap,
                Files.createTempDirectory("cep-bench-state").toString(), 1, Duration.ofMillis(100), (short) 1,
                67_108_864L, 16_777_216L, "INFO", "", Duration.ofSeconds(10), Map.of());
        // the service's own backlog probe, on the same managed client the service runs
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        BacklogProbe lag = new StreamsLagBacklogProbe(beans.getBeanProvider(ManagedKafkaStreams.class),
                beans.getBeanProvider(UpstreamProgress.class), beans.getBeanProvider(InputLogWatch.class));
        var topology = CepTopology.build(CepTopology.Settings.defaults(), detector, new CepMetrics(registry), lag);
        ManagedKafkaStreams managed = new ManagedKafkaStreams(topology, settings, registry);
        beans.addBean("streams", managed);
        try {
            long started = System.nanoTime();
            managed.start();
            long deadline = started + Duration.ofSeconds(60).toNanos();
            double seen = 0;
            while (System.nanoTime() < deadline && (seen = received(registry)) < events.size()) {
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("end-to-end (real broker, exactly_once_v2, RocksDB, 1 stream thread): %,.0f of %,d events "
                            + "in %.2f s incl. start-up and rebalance = %,.0f events/s, %,.0f alerts%n",
                    seen, events.size(), seconds, seen / seconds,
                    registry.get("streamfleet.cep.alerts").counter().count());
            Thread.sleep(6_000); // idle advance evaluates the tail
            System.out.printf("  after idle flush: %,.0f alerts, %,.0f late events%n",
                    registry.get("streamfleet.cep.alerts").counter().count(),
                    registry.get("streamfleet.cep.late.events").counter().count());
        } finally {
            managed.stop();
        }
    }

    private static double received(SimpleMeterRegistry registry) {
        return registry.find("streamfleet.cep.events").counters().stream().mapToDouble(c -> c.count()).sum()
                + registry.get("streamfleet.cep.late.events").counter().count();
    }
}
