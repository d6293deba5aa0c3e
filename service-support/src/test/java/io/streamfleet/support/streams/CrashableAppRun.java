package io.streamfleet.support.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.support.kafka.KafkaClients;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.process.ServiceProcess;
import io.streamfleet.testkit.process.ServiceProcesses;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * One test's run of {@link CrashableStreamsApp} on the shared broker: its own input and output topics and application
 * id, members in child JVMs (to SIGKILL) or in this JVM, and sends to the input. After each test every member it
 * started is stopped. Register it with {@code @RegisterExtension}.
 */
final class CrashableAppRun implements AfterEachCallback {

    /** A 6 s session with 1 s heartbeats: the group notices a dead dynamic member within seconds. */
    static final Map<String, String> SHORT_SESSION = Map.of("session.timeout.ms", "6000",
            "heartbeat.interval.ms", "1000");

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String input;
    final String output;
    final String applicationId;
    private final ServiceProcesses children = new ServiceProcesses();
    private final List<ManagedKafkaStreams> inJvm = new ArrayList<>();

    CrashableAppRun(String prefix) {
        input = prefix + "-in-" + run;
        output = prefix + "-out-" + run;
        applicationId = prefix + "-it-" + run;
    }

    void createTopics(int partitions) {
        SharedKafkaBroker.createTopics(List.of(new NewTopic(input, partitions, (short) 1),
                new NewTopic(output, partitions, (short) 1)));
    }

    /** A member in a child JVM; a record with the stall value leaves its transaction open until the JVM dies. */
    ServiceProcess launch(Path stateDir, String instanceId, String stallValue, Map<String, String> overrides) {
        return children.start(CrashableStreamsApp.process(SharedKafkaBroker.bootstrapServers(), applicationId,
                stateDir, instanceId, input, output, stallValue, overrides)
                .name(applicationId + "-" + (instanceId == null ? "member" : instanceId)));
    }

    StreamsRuntimeProperties settings(Path stateDir, String instanceId, Map<String, String> overrides) {
        return CrashableStreamsApp.settings(SharedKafkaBroker.bootstrapServers(), applicationId, stateDir, instanceId,
                overrides);
    }

    /** A member in this JVM, not yet started; the caller stops it. */
    ManagedKafkaStreams create(StreamsRuntimeProperties settings, MeterRegistry registry) {
        return new ManagedKafkaStreams(CrashableStreamsApp.topology(input, output, null), settings,
                KafkaClients.forBootstrapServers(settings.bootstrapServers()), registry);
    }

    /** A started member in this JVM, stopped after the test. */
    ManagedKafkaStreams startInJvm(StreamsRuntimeProperties settings, MeterRegistry registry) {
        ManagedKafkaStreams streams = create(settings, registry);
        inJvm.add(streams);
        streams.start();
        return streams;
    }

    /** Sends one record to the input and waits for the broker's acknowledgement. */
    void send(String key, String value) throws ExecutionException, InterruptedException {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(input, key, value)).get();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        children.stopAll();
        inJvm.forEach(ManagedKafkaStreams::stop);
        inJvm.clear();
    }
}
