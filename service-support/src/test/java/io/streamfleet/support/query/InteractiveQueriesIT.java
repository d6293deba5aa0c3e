package io.streamfleet.support.query;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.support.kafka.KafkaClients;
import io.streamfleet.support.streams.ManagedKafkaStreams;
import io.streamfleet.support.streams.StreamsRuntimeProperties;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.reactive.function.client.WebClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Owner lookup against a real Kafka Streams client on the broker: the client advertises the peer's port as its
 * {@code application.server}, so the instance that is that address reads its own store, and an instance that is
 * another address forwards the call to the peer, marked as forwarded, and reads locally once it is marked.
 */
@WithKafkaBroker
class InteractiveQueriesIT {

    private static final String STORE = "query-it-values";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private PeerInstance peer;
    private ManagedKafkaStreams streams;

    @TempDir
    Path stateDir;

    @AfterEach
    void stop() {
        if (streams != null) {
            streams.stop();
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void shouldReadHereOnTheOwnerAndForwardToTheOwnerElsewhereWhenTheKeyLivesOnOneInstance() throws Exception {
        peer = PeerInstance.answering(200, "the owner's value");
        String input = "query-it-" + run;
        SharedKafkaBroker.createTopics(List.of(new NewTopic(input, SharedKafkaBroker.PARTITIONS, (short) 1)));
        streams = start(input, "127.0.0.1:" + peer.host().port());
        produce(input, "acc|SYM", "stored value");
        InteractiveQueries owner = new InteractiveQueries(streams, WebClient.create(), TIMEOUT);
        InteractiveQueries other = new InteractiveQueries(streams::client, streams::state, "127.0.0.1:1",
                WebClient.create(), TIMEOUT);

        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() ->
                assertThat(query(owner, "acc|SYM", false)).isEqualTo("stored value"));
        assertThat(peer.requests()).as("the owner answers from its own store").isEmpty();

        assertThat(query(other, "acc|SYM", false)).isEqualTo("the owner's value");
        assertThat(peer.requests()).containsExactly(new PeerInstance.Request("/values/acc%7CSYM", "true"));

        assertThat(query(other, "acc|SYM", true)).as("a forwarded call is answered where it lands")
                .isEqualTo("stored value");
        assertThat(peer.requests()).hasSize(1);
    }

    private static String query(InteractiveQueries queries, String key, boolean forwarded) {
        return queries.byKey(STORE, key, forwarded, client -> read(client, key),
                host -> queries.get(host, "/values/{key}", key).bodyToMono(String.class)).block();
    }

    private static String read(KafkaStreams client, String key) {
        return client.store(StoreQueryParameters.fromNameAndType(STORE,
                QueryableStoreTypes.<String, String>keyValueStore())).get(key);
    }

    private ManagedKafkaStreams start(String input, String applicationServer) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table(input, Consumed.with(Topics.KEY, Serdes.String()),
                Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(STORE));
        StreamsRuntimeProperties settings = new StreamsRuntimeProperties("query-it-" + run,
                SharedKafkaBroker.bootstrapServers(), stateDir.toString(), 1, Duration.ofMillis(100), (short) 1,
                8 * 1024 * 1024, 2 * 1024 * 1024, "INFO", applicationServer, Duration.ofSeconds(10), Map.of());
        ManagedKafkaStreams managed = new ManagedKafkaStreams(builder.build(), settings,
                KafkaClients.forBootstrapServers(SharedKafkaBroker.bootstrapServers()), new SimpleMeterRegistry());
        managed.start();
        return managed;
    }

    private static void produce(String topic, String key, String value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }
}
