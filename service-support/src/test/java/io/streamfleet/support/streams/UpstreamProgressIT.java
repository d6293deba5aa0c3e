package io.streamfleet.support.streams;

import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Upstream progress read from a real broker: committed offsets of a group against the end of its input topics. */
@WithKafkaBroker
class UpstreamProgressIT {

    private final String topic = "upstream-it-" + UUID.randomUUID();
    private final String group = "upstream-group-" + UUID.randomUUID();

    @Test
    void shouldBeBehindUntilTheUpstreamGroupHasCommittedEveryInputRecord() throws Exception {
        SharedKafkaBroker.createTopics(List.of(new NewTopic(topic, 2, (short) 1)));
        produce(10);
        try (Admin admin = admin(SharedKafkaBroker.bootstrapServers());
             UpstreamProgress progress = new UpstreamProgress(admin(SharedKafkaBroker.bootstrapServers()),
                     settings(group), Clock.systemUTC())) {
            progress.refresh();
            assertThat(progress.lastError()).isEmpty();
            assertThat(progress.behind()).as("no offsets committed yet").isTrue();
            assertThat(progress.lag()).isEqualTo(10);

            commitToEnd(admin);
            progress.refresh();
            assertThat(progress.behind()).isFalse();
            assertThat(progress.lag()).isZero();

            int partition = produce(1);
            progress.refresh();
            assertThat(progress.behind()).as("a new record the upstream has not committed").isTrue();
            assertThat(progress.lag()).isEqualTo(1);
            assertThat(progress.behind(partition)).isTrue();
            assertThat(progress.behind(1 - partition)).as("the other partition is caught up").isFalse();
            assertThat(progress.behind(7)).as("a partition the upstream lacks falls back to the whole").isTrue();
        }
    }

    @Test
    void shouldCountAsBehindWhenTheBrokerCannotBeReadOrTheReadingIsStale() {
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        try (UpstreamProgress unreachable = new UpstreamProgress(admin("localhost:1"), settings(group), clock)) {
            unreachable.refresh();
            assertThat(unreachable.behind()).isTrue();
            assertThat(unreachable.behind(0)).isTrue();
        }
    }

    @Test
    void shouldNeverHoldBackWhenNoUpstreamIsConfigured() {
        UpstreamProperties none = new UpstreamProperties("", List.of(), Duration.ofMillis(100), Duration.ofSeconds(1));
        try (UpstreamProgress progress = new UpstreamProgress(admin("localhost:1"), none, Clock.systemUTC())) {
            progress.start();
            assertThat(progress.behind()).isFalse();
        }
    }

    private UpstreamProperties settings(String groupId) {
        // generous: the first group call of a fresh broker creates the offsets topic
        return new UpstreamProperties(groupId, List.of(topic), Duration.ofMillis(100), Duration.ofSeconds(20));
    }

    /** Produces {@code count} records and returns the partition of the last one. */
    private int produce(int count) throws Exception {
        int partition = -1;
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                partition = producer.send(new ProducerRecord<>(topic, "k" + i, "v")).get().partition();
            }
        }
        return partition;
    }

    private void commitToEnd(Admin admin) throws Exception {
        var ends = admin.listOffsets(Map.of(
                new TopicPartition(topic, 0), org.apache.kafka.clients.admin.OffsetSpec.latest(),
                new TopicPartition(topic, 1), org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get();
        Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
        ends.forEach((tp, info) -> offsets.put(tp, new OffsetAndMetadata(info.offset())));
        admin.alterConsumerGroupOffsets(group, offsets).all().get();
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }
}
