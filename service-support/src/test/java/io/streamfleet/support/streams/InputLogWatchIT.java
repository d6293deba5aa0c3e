package io.streamfleet.support.streams;

import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The input log watch against a real broker: a partition holds idle advance back while its log end is moving
 * (records arriving, whatever the consumer has fetched) and while its leader does not answer (broker outage); a
 * partition whose log stood still for the quiet period and whose leader answers does not.
 */
@WithKafkaBroker
class InputLogWatchIT {

    private static final Duration REFRESH = Duration.ofMillis(100);
    private static final Duration STALE_AFTER = Duration.ofMillis(800);
    private static final Duration QUIET_AFTER = Duration.ofMillis(1_000);

    private final long[] now = {1_000_000};

    @Test
    void shouldHoldBackWhileTheLogEndMovesAndReleaseOnceItStoodStillForTheQuietPeriod() throws Exception {
        String topic = "input-watch-it-" + UUID.randomUUID();
        SharedKafkaBroker.createTopics(List.of(new NewTopic(topic, 2, (short) 1)));
        TopicPartition partition = new TopicPartition(topic, 1);
        try (InputLogWatch watch = watch(SharedKafkaBroker.bootstrapServers())) {
            assertThat(watch.holdsBack(partition)).as("never asked before").isTrue();
            watch.refresh();
            assertThat(watch.lastError()).isEmpty();
            assertThat(watch.reachable(partition)).isTrue();
            assertThat(watch.holdsBack(partition)).as("just seen: not yet quiet").isTrue();

            now[0] += QUIET_AFTER.toMillis();
            watch.refresh();
            assertThat(watch.holdsBack(partition)).as("log end unchanged for the quiet period").isFalse();
            assertThat(watch.appendingPartitions()).isZero();

            produce(topic, 1, 3);
            now[0] += 100;
            watch.refresh();
            assertThat(watch.recentlyAppended(partition)).as("records arrived").isTrue();
            assertThat(watch.holdsBack(partition)).isTrue();
            assertThat(watch.appendingPartitions()).isEqualTo(1);

            now[0] += QUIET_AFTER.toMillis();
            watch.refresh();
            assertThat(watch.holdsBack(partition)).isFalse();

            now[0] += STALE_AFTER.toMillis() + 1;
            assertThat(watch.reachable(partition)).as("last answer older than the bound").isFalse();
            assertThat(watch.holdsBack(partition)).isTrue();
            assertThat(watch.unreachablePartitions()).isEqualTo(1);
        }
    }

    @Test
    void shouldHoldBackAPartitionWhoseBrokerDoesNotAnswer() {
        TopicPartition partition = new TopicPartition("orders.raw", 0);
        try (InputLogWatch watch = watch("localhost:1")) {
            watch.holdsBack(partition);
            watch.refresh();
            now[0] += QUIET_AFTER.toMillis() * 5;

            assertThat(watch.reachable(partition)).isFalse();
            assertThat(watch.holdsBack(partition)).isTrue();
            assertThat(watch.lastError()).contains("orders.raw-0");
        }
    }

    @Test
    void shouldMakeTheBacklogProbeHoldIdleAdvanceForAPartitionItCannotReach() {
        try (InputLogWatch down = watch("localhost:1")) {
            StreamsLagBacklogProbe probe = new StreamsLagBacklogProbe(none(ManagedKafkaStreams.class),
                    none(UpstreamProgress.class), provider(down));
            probe.hasBacklog("orders.raw", 0, 5);
            down.refresh();

            assertThat(probe.hasBacklog("orders.raw", 0, 5)).as("broker silent: not known to be idle").isTrue();
        }
        StreamsLagBacklogProbe unwatched = new StreamsLagBacklogProbe(none(ManagedKafkaStreams.class),
                none(UpstreamProgress.class), none(InputLogWatch.class));
        assertThat(unwatched.hasBacklog("orders.raw", 0, 5)).as("input not watched").isFalse();
    }

    private InputLogWatch watch(String bootstrap) {
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
        return new InputLogWatch(admin, REFRESH, STALE_AFTER, QUIET_AFTER, () -> now[0]);
    }

    private static void produce(String topic, int partition, int records) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, partition, "k", "v" + i)).get();
            }
        }
    }

    private static <T> ObjectProvider<T> provider(T bean) {
        StaticListableBeanFactory factory = new StaticListableBeanFactory();
        factory.addBean("bean", bean);
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) bean.getClass();
        return factory.getBeanProvider(type);
    }

    private static <T> ObjectProvider<T> none(Class<T> type) {
        return new StaticListableBeanFactory().getBeanProvider(type);
    }
}
