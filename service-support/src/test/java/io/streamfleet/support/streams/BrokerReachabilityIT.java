package io.streamfleet.support.streams;

import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Broker reachability read from a real broker: a partition counts as reachable only while its leader has answered
 * within the staleness bound, and a partition of a broker that does not answer never does — which is what holds
 * idle advance back during a broker outage.
 */
@WithKafkaBroker
class BrokerReachabilityIT {

    private static final Duration REFRESH = Duration.ofMillis(100);
    private static final Duration STALE_AFTER = Duration.ofMillis(800);

    private final long[] now = {1_000_000};

    @Test
    void shouldCountAPartitionReachableOnlyAfterItsLeaderAnsweredAndUntilThatAnswerIsStale() {
        String topic = "reachability-it-" + UUID.randomUUID();
        SharedKafkaBroker.createTopics(List.of(new NewTopic(topic, 2, (short) 1)));
        TopicPartition partition = new TopicPartition(topic, 1);
        try (BrokerReachability watch = new BrokerReachability(admin(SharedKafkaBroker.bootstrapServers()), REFRESH,
                STALE_AFTER, () -> now[0])) {
            assertThat(watch.reachable(partition)).as("never asked before").isFalse();

            watch.refresh();
            assertThat(watch.lastError()).isEmpty();
            assertThat(watch.reachable(partition)).isTrue();
            assertThat(watch.unreachablePartitions()).isZero();

            now[0] += STALE_AFTER.toMillis() + 1;
            assertThat(watch.reachable(partition)).as("last answer older than the bound").isFalse();
            assertThat(watch.unreachablePartitions()).isEqualTo(1);

            watch.refresh();
            assertThat(watch.reachable(partition)).isTrue();
        }
    }

    @Test
    void shouldNeverCountAPartitionReachableWhenItsBrokerDoesNotAnswer() {
        TopicPartition partition = new TopicPartition("orders.raw", 0);
        try (BrokerReachability watch = new BrokerReachability(admin("localhost:1"), REFRESH, STALE_AFTER,
                () -> now[0])) {
            watch.reachable(partition);
            watch.refresh();

            assertThat(watch.reachable(partition)).isFalse();
            assertThat(watch.lastError()).contains("orders.raw-0");
        }
    }

    @Test
    void shouldMakeTheBacklogProbeHoldIdleAdvanceForAPartitionItCannotReach() {
        try (BrokerReachability down = new BrokerReachability(admin("localhost:1"), REFRESH, STALE_AFTER,
                () -> now[0])) {
            StreamsLagBacklogProbe probe = new StreamsLagBacklogProbe(none(ManagedKafkaStreams.class),
                    none(UpstreamProgress.class), provider(down));
            probe.hasBacklog("orders.raw", 0, 5);
            down.refresh();

            assertThat(probe.hasBacklog("orders.raw", 0, 5)).as("broker silent: not known to be idle").isTrue();
        }
        StreamsLagBacklogProbe unwatched = new StreamsLagBacklogProbe(none(ManagedKafkaStreams.class),
                none(UpstreamProgress.class), none(BrokerReachability.class));
        assertThat(unwatched.hasBacklog("orders.raw", 0, 5)).as("reachability not watched").isFalse();
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
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
