package io.streamfleet.cep.topology;

import io.streamfleet.cep.operator.BurstDetectorProcessor;
import io.streamfleet.cep.operator.CepMetrics;
import io.streamfleet.cep.operator.CepStores;
import io.streamfleet.cep.operator.DetectorSettings;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.json.OrderEventReader;
import io.streamfleet.contracts.topic.Topics;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * {@code orders.clean → burst detector → alerts.anomaly} (and each alert's matched orders to
 * {@code alerts.evidence}), late orders to {@code orders.cep.late}. The input also
 * carries stream-processor's progress records, which move the detector's event time (docs/event-time.md). A plain
 * class: the settings come in as records, Spring only runs the result.
 */
public final class CepTopology {

    public static final String SOURCE = "cep-orders-source";
    public static final String PROCESSOR = "cep-burst-detector";
    public static final String ALERT_SINK = "cep-alerts-sink";
    public static final String LATE_SINK = "cep-late-sink";
    public static final String EVIDENCE_SINK = "cep-evidence-sink";
    /** Default cap on the matched orders kept per alert in alerts.evidence. */
    public static final int DEFAULT_EVIDENCE_ORDERS = 400;

    private CepTopology() {
    }

    /**
     * Topic names and store kind of one deployment.
     *
     * @param inputTopic        orders to watch (orders.clean)
     * @param alertsTopic       where alerts go (alerts.anomaly)
     * @param lateTopic         where late orders go (orders.cep.late)
     * @param persistentStores  RocksDB (true) or in-memory stores (tests, benchmarks); both changelogged
     * @param evidenceTopic     where each alert's matched orders go (alerts.evidence)
     * @param maxEvidenceOrders cap on the orders kept per alert
     */
    public record Settings(String inputTopic, String alertsTopic, String lateTopic, boolean persistentStores,
                           String evidenceTopic, int maxEvidenceOrders) {

        public Settings(String inputTopic, String alertsTopic, String lateTopic, boolean persistentStores) {
            this(inputTopic, alertsTopic, lateTopic, persistentStores, Topics.ALERTS_EVIDENCE.name(),
                    DEFAULT_EVIDENCE_ORDERS);
        }

        public static Settings defaults() {
            return new Settings(Topics.ORDERS_CLEAN.name(), Topics.ALERTS_ANOMALY.name(),
                    Topics.ORDERS_CEP_LATE.name(), true);
        }
    }

    public static Topology build(Settings topics, DetectorSettings detector, CepMetrics metrics) {
        Topology topology = new Topology();
        // progress records (stream-time marks of stream-processor) have no value: they deserialize to null
        topology.addSource(AutoOffsetReset.earliest(), SOURCE, new OrderEventTimeExtractor(),
                Topics.KEY.deserializer(), ProgressRecords.skipping(new OrderEventReader()),
                topics.inputTopic());
        topology.addProcessor(PROCESSOR,
                () -> new BurstDetectorProcessor(detector, metrics, ALERT_SINK, LATE_SINK, EVIDENCE_SINK,
                        topics.maxEvidenceOrders()), SOURCE);
        for (StoreBuilder<?> store : CepStores.builders(topics.persistentStores())) {
            topology.addStateStore(store, PROCESSOR);
        }
        Serializer<AnomalyAlert> alerts = Topics.ANOMALY_ALERT_SERDE.serializer();
        Serializer<OrderEvent> orders = Topics.ORDER_EVENT_SERDE.serializer();
        topology.addSink(ALERT_SINK, topics.alertsTopic(), Topics.KEY.serializer(), alerts, PROCESSOR);
        topology.addSink(LATE_SINK, topics.lateTopic(), Topics.KEY.serializer(), orders, PROCESSOR);
        topology.addSink(EVIDENCE_SINK, topics.evidenceTopic(), Topics.KEY.serializer(),
                Topics.ALERT_EVIDENCE_SERDE.serializer(), PROCESSOR);
        return topology;
    }
}
