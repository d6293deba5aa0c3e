package io.streamfleet.drills.secure;

import io.streamfleet.drills.DrillFleet;
import io.streamfleet.drills.ServiceJarsOnBroker;
import io.streamfleet.launcher.DevApiKey;
import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.process.Ports;
import io.streamfleet.testkit.process.ServiceProcess;
import io.streamfleet.testkit.process.ServiceProcesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The five services against a SASL_SSL (SCRAM-SHA-512) broker with a generated CA, configured only through
 * {@code SPRING_KAFKA_*} environment variables, as docs/operations.md tells operators to: an episode posted through
 * the gateway comes out as an alert on the SSE feed. A gateway given a wrong password reports readiness DOWN with a
 * log line naming the refused login, within seconds. Skipped when the service jars are not built.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureFleetIT {

    private final Path repo = Path.of(System.getProperty("drills.repo", "..")).toAbsolutePath().normalize();

    @RegisterExtension
    final ServiceProcesses processes = new ServiceProcesses();

    private FleetLayout layout;
    private SecureBroker broker;
    private ServiceJarsOnBroker services;

    @BeforeAll
    void startBroker() throws IOException {
        assumeTrue(DrillFleet.missingJars(repo).isEmpty(), "fleet jars not built: " + DrillFleet.missingJars(repo));
        Path work = Files.createTempDirectory("secure-fleet");
        layout = FleetLayout.defaults(repo).withFleetDir(work.resolve("fleet"))
                .withPorts(Ports.freePort(), Ports.freePort());
        Path certs = Files.createDirectories(work.resolve("certs"));
        TestCertificates certificates = TestCertificates.create(certs);
        broker = new SecureBroker(layout, certificates);
        broker.start();
        services = new ServiceJarsOnBroker(layout, DevApiKey.loadOrCreate(layout.devKeyFile()), Map.of(
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", layout.bootstrapServers(),
                "SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", SecureBroker.MECHANISM,
                "SPRING_KAFKA_SSL_TRUST_STORE_LOCATION", "file:" + certificates.trustStore(),
                "SPRING_KAFKA_SSL_TRUST_STORE_PASSWORD", certificates.password(),
                "SPRING_KAFKA_SSL_TRUST_STORE_TYPE", "PKCS12"), () -> broker.logTail(20), processes);
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void shouldFailGatewayReadinessWithAClearLogLineWhenThePasswordIsWrong() {
        ServiceProcess gateway = services.launch(layout.service("ingest-gateway"), "wrong-gateway",
                login("not-the-password"));
        long started = System.nanoTime();
        gateway.awaitReadiness("DOWN", ServiceJarsOnBroker.READY);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ServiceJarsOnBroker.READY);
        gateway.awaitLog("Kafka refused this client's authentication", Duration.ofSeconds(30));
        assertThat(gateway.log()).contains("SaslAuthenticationException");
    }

    @Test
    @Order(2)
    void shouldCarryAnEpisodeFromTheGatewayToAnSseAlertOverSaslSsl() throws Exception {
        Map<String, ServiceProcess> started = services.launchAllReady(login(SecureBroker.PASSWORD));

        services.assertEpisodeComesOutOnTheFeed(started.get("ingest-gateway"), started.get("alert-api"),
                "acc-secure");
        for (ServiceProcess process : started.values()) {
            assertThat(process.log()).as(process.name() + " connected with SASL_SSL")
                    .contains("security.protocol = SASL_SSL").doesNotContain("security.protocol = PLAINTEXT");
        }
    }

    private static Map<String, String> login(String password) {
        return Map.of("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", SecureBroker.jaas(SecureBroker.USER, password));
    }
}
