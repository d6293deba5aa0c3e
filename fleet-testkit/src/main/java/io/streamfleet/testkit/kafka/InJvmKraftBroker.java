package io.streamfleet.testkit.kafka;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A single-node KRaft cluster (combined broker + controller) in this JVM, straight from Kafka's own test kit.
 * <p>
 * Why not spring-kafka-test's {@code EmbeddedKafkaKraftBroker}: spring-kafka-test 4.1 is built against Kafka 4.2's
 * test kit and calls {@code KafkaClusterTestKit.clientProperties()}, which Kafka 4.3 removed; this class uses only
 * what 4.3 has ({@code format}, {@code startup}, {@code waitForReadyBrokers}, {@code bootstrapServers}). The broker's
 * port is bound before start-up and kept for the cluster's life, so a test can shut the broker down and start it
 * again at the same address through {@link #cluster()}.
 * <p>
 * The data directory is ours, not the test kit's default: that one is deleted by a JVM shutdown hook of its own, which
 * runs at the same time as the hook that stops the broker; the broker then finds its log directory gone, takes it
 * offline and halts the JVM with exit code 1 when its failure handler wins the race (a test JVM whose tests all passed
 * then "fails to start" in Maven's eyes). {@link #close()} stops the broker first and deletes the directory after.
 */
public final class InJvmKraftBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InJvmKraftBroker.class);
    private static final int ATTEMPTS = 3;

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;

    private InJvmKraftBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.bootstrapServers = cluster.bootstrapServers();
    }

    /**
     * Formats and starts a one-node cluster with the given broker settings; retried with a fresh cluster (quorum
     * formation can time out on a saturated machine).
     */
    public static InJvmKraftBroker start(Map<String, String> brokerProperties) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            KafkaClusterTestKit cluster = null;
            Path dataDirectory = createDataDirectory();
            try {
                KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setBaseDirectory(dataDirectory)
                        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build());
                brokerProperties.forEach(builder::setConfigProp);
                cluster = builder.build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                return new InJvmKraftBroker(cluster);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                discard(cluster, dataDirectory);
                throw new IllegalStateException("interrupted while starting the in-JVM KRaft broker", e);
            } catch (Exception e) {
                last = new IllegalStateException("in-JVM KRaft broker did not start", e);
                log.warn("In-JVM KRaft broker start attempt {} of {} failed: {}", attempt, ATTEMPTS, e.toString());
                discard(cluster, dataDirectory);
            }
        }
        throw last;
    }

    private static Path createDataDirectory() {
        try {
            return Files.createTempDirectory("streamfleet-kraft-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory for the in-JVM KRaft broker", e);
        }
    }

    /** Closes a cluster that did not start (which deletes its directory) or, if none was built, the directory. */
    private static void discard(KafkaClusterTestKit cluster, Path dataDirectory) {
        if (cluster != null) {
            Utils.closeQuietly(cluster, "in-JVM KRaft cluster");
            return;
        }
        try {
            Utils.delete(dataDirectory.toFile());
        } catch (IOException e) {
            log.warn("Cannot delete {}: {}", dataDirectory, e.toString());
        }
    }

    /** host:port of the broker listener (stable across a shutdown and start-up of the broker). */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Kafka's test kit, for tests that stop and restart the broker ({@code cluster().brokers().get(0)}). */
    public KafkaClusterTestKit cluster() {
        return cluster;
    }

    /**
     * Shuts the cluster down, then deletes its data directory (the test kit does both, in that order); a failure of
     * the teardown is logged, not thrown (the tests have run by then).
     */
    @Override
    public void close() {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Utils.closeQuietly(cluster, "in-JVM KRaft cluster", failure);
        if (failure.get() != null) {
            log.warn("In-JVM KRaft broker did not shut down cleanly", failure.get());
        }
    }
}
