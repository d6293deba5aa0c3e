package io.streamfleet.support.streams;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.support.time.BacklogProbe;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The backlog probe against a real streams client: a partition counts as idle only once the main consumer has
 * reported its lag as zero and the processor has seen every fetched record — an empty partition becomes idle after
 * its first fetch; a partition whose lag is not known (not assigned to this client, or not fetched yet) or whose
 * fetched records wait in the task buffer never does.
 */
@WithKafkaBroker
class StreamsLagBacklogProbeIT {

    @TempDir
    Path stateDir;

    @Test
    void shouldReportIdleOnlyForPartitionsWhoseLagIsKnownToBeZero() throws Exception {
        String input = "probe-it-" + UUID.randomUUID();
        SharedKafkaBroker.createTopics(List.of(new NewTopic(input, 2, (short) 1)));
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(input, 0, "k" + i, "v")).get();
            }
        }
        AtomicInteger processed = new AtomicInteger();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String())).foreach((k, v) -> processed.incrementAndGet());
        ManagedKafkaStreams streams = new ManagedKafkaStreams(builder.build(), TestStreamsSettings.of("probe-it-" + UUID.randomUUID(), stateDir),
                new SimpleMeterRegistry());
        StreamsLagBacklogProbe probe = new StreamsLagBacklogProbe(provider(streams), provider(null), provider(null));

        streams.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
            await().atMost(Duration.ofSeconds(30)).until(() -> processed.get() == 50);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(probe.hasBacklog(input, 0, 49)).as("read and processed to the end").isFalse();
                assertThat(probe.hasBacklog(input, 1, BacklogProbe.NOTHING_PROCESSED)).as("empty, fetched once")
                        .isFalse();
            });
            assertThat(probe.fetchedOffset(input, 0)).isEqualTo(49);
            assertThat(probe.hasBacklog(input, 0, 30)).as("fetched, but the processor has only seen offset 30")
                    .isTrue();
            assertThat(probe.hasBacklog(input, 7, BacklogProbe.NOTHING_PROCESSED)).as("no lag reading for a partition: not idle").isTrue();
            assertThat(probe.hasBacklog("another-topic", 0, BacklogProbe.NOTHING_PROCESSED)).isTrue();
        } finally {
            streams.stop();
        }
    }

    @Test
    void shouldNeverHoldBackWithoutAStreamsClient() {
        StreamsLagBacklogProbe probe = new StreamsLagBacklogProbe(provider(null), provider(null), provider(null));
        assertThat(probe.hasBacklog("any", 0, 0)).isFalse();
    }

    private static <T> ObjectProvider<T> provider(T bean) {
        StaticListableBeanFactory factory = new StaticListableBeanFactory();
        if (bean != null) {
            factory.addBean("bean", bean);
        }
        @SuppressWarnings("unchecked")
        Class<T> type = bean == null ? (Class<T>) (Class<?>) ManagedKafkaStreams.class : (Class<T>) bean.getClass();
        return factory.getBeanProvider(type);
    }
}
