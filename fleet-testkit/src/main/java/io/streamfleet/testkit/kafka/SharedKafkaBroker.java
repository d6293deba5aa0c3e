package io.streamfleet.testkit.kafka;

import io.streamfleet.contracts.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One real in-JVM KRaft broker per test JVM (from the Kafka jars, see {@link InJvmKraftBroker}), started on first use
 * with every StreamFleet topic created up front, and stopped when the JVM's test run ends. Settings allow
 * exactly-once on a single node.
 */
public final class SharedKafkaBroker {

    /** Partitions of every pre-created topic: more than one, so per-key routing is exercised. */
    public static final int PARTITIONS = 3;

    private static InJvmKraftBroker broker;

    private SharedKafkaBroker() {
    }

    /** Starts the broker if needed and returns its bootstrap servers. */
    public static synchronized String bootstrapServers() {
        if (broker == null) {
            broker = start();
            Runtime.getRuntime().addShutdownHook(new Thread(SharedKafkaBroker::stop, "shared-kafka-broker-stop"));
        }
        return broker.bootstrapServers();
    }

    /** Stops the broker (idempotent); the next {@link #bootstrapServers()} starts a fresh one. */
    public static synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** Creates further topics (ignoring ones that already exist). */
    public static void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static InJvmKraftBroker start() {
        InJvmKraftBroker started = InJvmKraftBroker.start(Map.of(
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "min.insync.replicas", "1",
                "num.partitions", String.valueOf(PARTITIONS),
                "group.initial.rebalance.delay.ms", "0",
                "share.coordinator.state.topic.replication.factor", "1",
                "share.coordinator.state.topic.min.isr", "1"));
        broker = started;
        createTopics(fleetTopics());
        awaitVisible(fleetTopics().stream().map(NewTopic::name).toList());
        return started;
    }

    /**
     * Waits until the broker's metadata lists every topic: a creation is acknowledged by the controller before the
     * broker's metadata cache has it, so a test that lists or describes topics at once could still miss the last ones.
     */
    private static void awaitVisible(Collection<String> names) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            while (!admin.listTopics().names().get().containsAll(names)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker still does not list every fleet topic after 30 s");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics", e.getCause());
        }
    }

    /** Every topic of the data flow plus alert-api's compacted topics, as the launcher creates them. */
    public static List<NewTopic> fleetTopics() {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : Topics.dataFlowTopicNames()) {
            topics.add(new NewTopic(name, PARTITIONS, (short) 1));
        }
        for (String name : Topics.compactedTopicNames()) {
            topics.add(new NewTopic(name, 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        return topics;
    }
}
