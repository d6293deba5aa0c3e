package io.streamfleet.drills.secure;

import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.broker.BrokerSettings;
import io.streamfleet.launcher.broker.TopicSetup;
import io.streamfleet.launcher.process.ManagedProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The launcher's single-node KRaft broker (its server.properties and the Kafka jars on its classpath) with its client
 * listener turned into SASL_SSL: SCRAM-SHA-512 logins created by {@code kafka-storage format --add-scram}, a broker
 * certificate from {@link TestCertificates}. The controller listener stays PLAINTEXT on loopback, as in the launcher.
 */
final class SecureBroker implements AutoCloseable {

    static final String MECHANISM = "SCRAM-SHA-512";
    static final String USER = "streamfleet";
    static final String PASSWORD = "fleet-secret-1";
    private static final String BROKER_USER = "broker";
    private static final String BROKER_PASSWORD = "broker-secret-1";

    private final FleetLayout layout;
    private final TestCertificates certificates;
    private final ManagedProcess process;

    SecureBroker(FleetLayout layout, TestCertificates certificates) {
        this.layout = layout;
        this.certificates = certificates;
        this.process = new ManagedProcess("kafka", layout.logs(), layout.pids());
    }

    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Writes the config, formats the storage with the SCRAM users, starts the broker and creates the topics. */
    void start() {
        Path config = layout.kafkaDir().resolve("server.properties");
        Path data = layout.kafkaDir().resolve("data");
        try {
            Files.createDirectories(data);
            Files.writeString(config, serverProperties(data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ManagedProcess formatter = new ManagedProcess("kafka-format", layout.logs(), layout.pids());
        ProcessHandle format = formatter.start(jvmArgs(), List.of("kafka.tools.StorageTool", "format",
                "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
                "--add-scram", MECHANISM + "=[name=" + BROKER_USER + ",password=" + BROKER_PASSWORD + "]",
                "--add-scram", MECHANISM + "=[name=" + USER + ",password=" + PASSWORD + "]"), Map.of(),
                layout.repoRoot());
        try {
            format.onExit().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            format.destroyForcibly();
            throw new IllegalStateException("formatting did not finish:\n" + formatter.logTail(20), e);
        }
        if (!Files.exists(data.resolve("meta.properties"))) {
            throw new IllegalStateException("formatting failed:\n" + formatter.logTail(20));
        }
        process.start(jvmArgs(), List.of("kafka.Kafka", config.toString()), Map.of(), layout.repoRoot());
        awaitTopics();
    }

    private String serverProperties(Path data) {
        String plain = BrokerSettings.serverProperties(data, layout.kafkaPort(), layout.controllerPort());
        int port = layout.kafkaPort();
        // the launcher's settings less its PLAINTEXT client listener
        String kept = Arrays.stream(plain.split("\n"))
                .filter(line -> !line.startsWith("listeners=") && !line.startsWith("advertised.listeners=")
                        && !line.startsWith("inter.broker.listener.name=")
                        && !line.startsWith("listener.security.protocol.map="))
                .collect(Collectors.joining("\n"));
        return kept + "\n" + String.join("\n",
                "listeners=SASL_SSL://localhost:" + port + ",CONTROLLER://localhost:" + layout.controllerPort(),
                "advertised.listeners=SASL_SSL://localhost:" + port,
                "listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=SASL_SSL",
                "sasl.enabled.mechanisms=" + MECHANISM,
                "sasl.mechanism.inter.broker.protocol=" + MECHANISM,
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=" + jaas(BROKER_USER, BROKER_PASSWORD),
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + certificates.brokerKeyStore(),
                "ssl.keystore.password=" + certificates.password(),
                "ssl.truststore.type=PKCS12",
                "ssl.truststore.location=" + certificates.trustStore(),
                "ssl.truststore.password=" + certificates.password(),
                "");
    }

    /** Client settings of the test's own admin client: the same SASL_SSL login the services get. */
    Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, layout.bootstrapServers());
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", MECHANISM);
        config.put("sasl.jaas.config", jaas(USER, PASSWORD));
        config.put("ssl.truststore.type", "PKCS12");
        config.put("ssl.truststore.location", certificates.trustStore().toString());
        config.put("ssl.truststore.password", certificates.password());
        return config;
    }

    private void awaitTopics() {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Map<String, Object> config = clientConfig();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                if (process.running().isEmpty()) {
                    throw new IllegalStateException("the secure broker exited:\n" + process.logTail(40));
                }
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    admin.createTopics(TopicSetup.fleetTopics(TopicSetup.LOCAL_PARTITIONS)).all()
                            .get(30, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the secure broker did not answer over SASL_SSL: " + e
                                + "\n" + process.logTail(40));
                    }
                    Thread.sleep(500);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> jvmArgs() {
        return List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=classpath:log4j2-fleet.xml", "-Dkafka.logs.dir=" + layout.logs(),
                "-cp", layout.launcherClasspath());
    }

    String logTail(int lines) {
        return process.logTail(lines);
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(30));
    }
}
