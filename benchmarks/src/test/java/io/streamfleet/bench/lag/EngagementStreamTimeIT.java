package io.streamfleet.bench.lag;

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
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fleet's engagement stream time read from the tail of a clean topic of the in-JVM broker. */
@WithKafkaBroker
class EngagementStreamTimeIT {

    private static final int PARTITIONS = SharedKafkaBroker.PARTITIONS;

    private static EngagementStreamTime reader(String topic) {
        return new EngagementStreamTime(SharedKafkaBroker.bootstrapServers(), topic, Duration.ofSeconds(15));
    }

    @Test
    void shouldBeEmptyWhenTheTopicHoldsNoEngagementTime() {
        SharedKafkaBroker.createTopics(List.of(new NewTopic("st-empty.engagement.clean", PARTITIONS, (short) 1)));
        assertThat(reader("st-empty.engagement.clean").read()).isEmpty();
    }

    @Test
    void shouldTakeTheHighestEventTimeOrStreamTimeMarkButNoGatewayClock() {
        String topic = "st.engagement.clean";
        SharedKafkaBroker.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)));
        long base = 1_700_000_000_000L;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            for (int i = 0; i < 200; i++) {
                String event = "{\"eventId\":\"e" + i + "\",\"userId\":\"u\",\"eventTimeMs\":" + (base + i) + "}";
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, "u".getBytes(StandardCharsets.UTF_8),
                        event.getBytes(StandardCharsets.UTF_8), new RecordHeaders()));
            }
            producer.send(new ProducerRecord<>(topic, 1, null, null, null,
                    ProgressRecords.headers(ProgressMark.streamTime("stream-processor", base + 5_000))));
            producer.send(new ProducerRecord<>(topic, 2, null, null, null,
                    ProgressRecords.headers(ProgressMark.clock("gw-1", System.currentTimeMillis()))));
            producer.flush();
        }
        assertThat(reader(topic).read()).isEqualTo(OptionalLong.of(base + 5_000));
    }

    @Test
    void shouldFailNamingTheBrokerWhenItCannotBeReached() {
        EngagementStreamTime unreachable = new EngagementStreamTime("localhost:1", "engagement.clean",
                Duration.ofSeconds(2));
        assertThatThrownBy(unreachable::read).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("localhost:1");
    }
}
