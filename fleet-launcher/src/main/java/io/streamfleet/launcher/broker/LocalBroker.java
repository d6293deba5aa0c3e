package io.streamfleet.launcher.broker;

import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.process.ManagedProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local single-node KRaft broker, run as its own JVM from the Kafka jars: storage is formatted on first run only,
 * so topics and data survive between runs.
 */
public final class LocalBroker {

    /** System property whose options, if set, replace the broker's {@link #HEAP_AND_COLLECTOR} (benchmarks only). */
    public static final String JVM_OPTIONS_PROPERTY = "streamfleet.fleet.broker-jvm-options";
    /** System property with extra server.properties lines separated by commas (benchmarks only); they win. */
    public static final String PROPERTIES_PROPERTY = "streamfleet.fleet.broker-properties";
    /**
     * A fixed heap under Serial GC with a large young generation. G1 from 256 MiB kept the heap near 300-400 MiB, half
     * of it the log cleaner's 128 MiB offset map and other long-lived data, so young collections came every 1-2 s at
     * 20 000 events/s, and allocations of half a region or more (humongous) started marking cycles; seven JVMs share
     * two cores, so no collector threads of its own (docs/PERFORMANCE.md, eleventh round).
     */
    static final List<String> HEAP_AND_COLLECTOR = List.of("-Xms768m", "-Xmx768m", "-Xmn448m", "-XX:+UseSerialGC");

    private final FleetLayout layout;
    private final ManagedProcess process;

    public LocalBroker(FleetLayout layout) {
        this.layout = layout;
        this.process = new ManagedProcess("kafka", layout.logs(), layout.pids());
    }

    public ManagedProcess process() {
        return process;
    }

    private Path configFile() {
        return layout.kafkaDir().resolve("server.properties");
    }

    private Path dataDir() {
        return layout.kafkaDir().resolve("data");
    }

    public boolean isFormatted() {
        return Files.exists(dataDir().resolve("meta.properties"));
    }

    /** Writes the config and formats the storage if this is the first run. */
    public void prepare() {
        try {
            Files.createDirectories(dataDir());
            Files.writeString(configFile(), BrokerSettings.serverProperties(dataDir(), layout.kafkaPort(),
                    layout.controllerPort()) + BrokerSettings.overrides(System.getProperty(PROPERTIES_PROPERTY, "")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write broker config under " + layout.kafkaDir(), e);
        }
        if (!isFormatted()) {
            format();
        }
    }

    private void format() {
        ManagedProcess formatter = new ManagedProcess("kafka-format", layout.logs(), layout.pids());
        ProcessHandle handle = formatter.start(jvmArgs(),
                List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                        "-c", configFile().toString()),
                Map.of(), layout.repoRoot());
        try {
            handle.onExit().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
            throw new IllegalStateException("formatting the broker storage did not finish:\n" + formatter.logTail(20));
        }
        formatter.stop(Duration.ofSeconds(1));
        if (!isFormatted()) {
            throw new IllegalStateException("formatting the broker storage failed:\n" + formatter.logTail(20));
        }
    }

    public ProcessHandle start() {
        return process.start(jvmArgs(), List.of("kafka.Kafka", configFile().toString()), Map.of(), layout.repoRoot());
    }

    /**
     * Heap and collector of the broker, then its logging and class path; benchmarks may replace the first part with
     * the options in {@link #JVM_OPTIONS_PROPERTY} (to compare collectors on the same jars). Package-private for tests.
     */
    List<String> jvmArgs() {
        List<String> args = new ArrayList<>(heapAndCollector(System.getProperty(JVM_OPTIONS_PROPERTY, "")));
        args.addAll(List.of("-Dlog4j2.configurationFile=classpath:log4j2-fleet.xml",
                "-Dkafka.logs.dir=" + layout.logs(),
                "-cp", layout.launcherClasspath()));
        return List.copyOf(args);
    }

    /** {@link #HEAP_AND_COLLECTOR}, or the whitespace-separated options of a non-blank {@code replacement}. */
    static List<String> heapAndCollector(String replacement) {
        String trimmed = replacement.strip();
        return trimmed.isEmpty() ? HEAP_AND_COLLECTOR : List.of(trimmed.split("\\s+"));
    }

    /** Waits until the broker answers metadata requests, failing early if its process died. */
    public void awaitReady(ProcessHandle handle, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, layout.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                if (!handle.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited during start-up:\n" + process.logTail(30));
                }
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    sleep(500);
                }
            }
        }
        throw new IllegalStateException("the Kafka broker did not become ready within " + timeout.toSeconds()
                + " s:\n" + process.logTail(30));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
