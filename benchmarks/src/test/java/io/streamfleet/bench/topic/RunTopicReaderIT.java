package io.streamfleet.bench.topic;

import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A run's records read back from a clean topic of the in-JVM broker, as fleet-bench's oracle and late audit do. */
@WithKafkaBroker
class RunTopicReaderIT {

    private static final int PARTITIONS = SharedKafkaBroker.PARTITIONS;

    private static ProducerRecord<byte[], byte[]> data(String topic, int partition, String json) {
        return new ProducerRecord<>(topic, partition, null, "k".getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8), new RecordHeaders());
    }

    @Test
    void shouldReturnOnlyTheRunsRecordsSkippingProgressRecordsSilentlyAndReportingUnreadableOnes() {
        String topic = "rtr.orders.clean";
        SharedKafkaBroker.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            for (int i = 0; i < 30; i++) {
                producer.send(data(topic, i % PARTITIONS, "{\"eventId\":\"run1-O-" + i + "\",\"qty\":" + i + "}"));
                producer.send(data(topic, i % PARTITIONS, "{\"eventId\":\"run2-O-" + i + "\"}"));
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, null, null,
                        ProgressRecords.headers(ProgressMark.streamTime("stream-processor", 1_000L + i))));
            }
            producer.send(data(topic, 0, "not json"));
            producer.flush();
        }
        List<String> ids = new ArrayList<>();
        long[] qtySum = {0};
        List<String> problems = new ArrayList<>();

        try (RunTopicReader reader = new RunTopicReader(SharedKafkaBroker.bootstrapServers(), Duration.ofSeconds(30),
                "rtr-test")) {
            reader.read(topic, "run1", (id, json) -> {
                ids.add(id);
                qtySum[0] += json.path("qty").asLong();
            }, problems);
        }

        assertThat(ids).hasSize(30).allMatch(id -> id.startsWith("run1-O-"));
        assertThat(qtySum[0]).isEqualTo(435);
        assertThat(problems).containsExactly(topic + ": 1 record(s) without a readable eventId");
    }
}
