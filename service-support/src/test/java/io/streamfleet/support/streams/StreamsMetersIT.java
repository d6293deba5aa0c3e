package io.streamfleet.support.streams;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.kafka.SelectedKafkaMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@WithKafkaBroker
class StreamsMetersIT {

    private static final String UNCOMMITTED = "kafka.stream.state.uncommitted.bytes";

    @TempDir
    Path stateDir;

    @Test
    void theTransactionBufferGaugeIsLeftOutWhileEveryOtherStoreMetricIsBound() throws Exception {
        String input = "meters-it-" + UUID.randomUUID();
        SharedKafkaBroker.createTopics(List.of(new NewTopic(input, 1, (short) 1)));
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("kept"), Serdes.String(),
                Serdes.String()));
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String())).process(KeepLatest::new, "kept");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "meters-it-" + UUID.randomUUID());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (KafkaStreams client = new KafkaStreams(builder.build(), config);
             var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                     SharedKafkaBroker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            client.start();
            producer.send(new ProducerRecord<>(input, "k", "v")).get();
            await().atMost(Duration.ofSeconds(60)).until(() -> client.metrics().keySet().stream()
                    .anyMatch(name -> name.name().equals("uncommitted-bytes")));

            SimpleMeterRegistry everything = new SimpleMeterRegistry();
            SimpleMeterRegistry safe = new SimpleMeterRegistry();
            try (KafkaStreamsMetrics micrometer = new KafkaStreamsMetrics(client)) {
                micrometer.bindTo(everything);
                // bound second: the client's metrics only grow while it settles, so ours sees at least as many
                try (SelectedKafkaMetrics selected = StreamsMeters.bind(client, safe)) {
                    assertThat(everything.find(UNCOMMITTED).gauges()).as("Micrometer's own binder reads it")
                            .isNotEmpty();
                    assertThat(safe.find(UNCOMMITTED).gauges()).isEmpty();
                    assertThat(safe.find("kafka.stream.state.put.rate").meters()).isNotEmpty();
                    assertThat(names(safe)).containsAll(names(everything).stream()
                            .filter(name -> !name.equals(UNCOMMITTED)).toList());
                }
            }
        }
    }

    private static Set<String> names(SimpleMeterRegistry registry) {
        return registry.getMeters().stream().map(meter -> meter.getId().getName())
                .collect(Collectors.toSet());
    }

    private static final class KeepLatest implements Processor<String, String, Void, Void> {
        private KeyValueStore<String, String> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore("kept");
        }

        @Override
        public void process(Record<String, String> record) {
            store.put(record.key(), record.value());
        }
    }
}
