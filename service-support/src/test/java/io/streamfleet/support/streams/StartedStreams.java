package io.streamfleet.support.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.support.kafka.KafkaClients;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** A managed client of the module's real-broker tests, started and RUNNING. */
final class StartedStreams {

    private StartedStreams() {
    }

    static ManagedKafkaStreams running(Topology topology, StreamsRuntimeProperties settings, MeterRegistry registry) {
        ManagedKafkaStreams streams = new ManagedKafkaStreams(topology, settings,
                KafkaClients.forBootstrapServers(settings.bootstrapServers()), registry);
        streams.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }
}
