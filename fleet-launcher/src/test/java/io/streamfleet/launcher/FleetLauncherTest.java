package io.streamfleet.launcher;

import io.streamfleet.launcher.broker.BrokerSettings;
import io.streamfleet.launcher.process.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FleetLauncherTest {

    @TempDir
    Path repo;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

    @Test
    void shouldExitWithUsageErrorWhenCommandIsMissingOrUnknown() {
        assertThat(FleetLauncher.run(new String[0], layout(), out)).isEqualTo(2);
        assertThat(FleetLauncher.run(new String[]{"launch"}, layout(), out)).isEqualTo(2);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("unknown command 'launch'").contains("usage:");
    }

    @Test
    void shouldRejectUnknownOptionsOfUp() {
        assertThat(FleetLauncher.run(new String[]{"up", "--fast"}, layout(), out)).isEqualTo(2);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("unknown option '--fast'");
    }

    @Test
    void shouldRefuseToStartWhenAPortIsInUseOrJarsAreMissing() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            FleetLayout layout = layout().withKafkaPort(busy.getLocalPort());
            int code = FleetLauncher.run(new String[]{"up", "--detach"}, layout, out);
            assertThat(code).isEqualTo(1);
        }
        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("Cannot start the fleet")
                .contains("is already in use")
                .contains("missing ingest-gateway/target/ingest-gateway-exec.jar");
        assertThat(Files.exists(repo.resolve(".fleet/kafka"))).isFalse();
    }

    @Test
    void shouldReportEveryPartStoppedWhenNothingRuns() {
        assertThat(FleetLauncher.run(new String[]{"status"}, layout(), out)).isEqualTo(1);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("kafka").contains("ingest-gateway").contains("stopped");
        assertThat(FleetLauncher.run(new String[]{"down"}, layout(), out)).isZero();
    }

    @Test
    void shouldConfigureTheBrokerForExactlyOnceOnOneNode() {
        String props = BrokerSettings.serverProperties(repo.resolve("data"), 19092, 19093);
        assertThat(props).contains("process.roles=broker,controller")
                .contains("transaction.state.log.replication.factor=1")
                .contains("transaction.state.log.min.isr=1")
                .contains("offsets.topic.replication.factor=1")
                .contains("listeners=PLAINTEXT://localhost:19092,CONTROLLER://localhost:19093");
    }

    @Test
    void shouldKeepTheDevelopmentKeyAcrossRuns() {
        Path file = repo.resolve(".fleet/dev-api-key");
        String first = DevApiKey.loadOrCreate(file);
        assertThat(first).startsWith("sf_dev_").hasSizeGreaterThan(30);
        assertThat(DevApiKey.loadOrCreate(file)).isEqualTo(first);
    }

    private FleetLayout layout() {
        return FleetLayout.defaults(repo).withPorts(Ports.freePort(), Ports.freePort());
    }
}
