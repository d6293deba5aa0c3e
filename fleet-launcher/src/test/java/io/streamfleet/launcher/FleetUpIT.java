package io.streamfleet.launcher;

import io.streamfleet.launcher.process.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole fleet as './fleet up --detach' runs it (real broker process, five service processes), on free ports and
 * a temporary data folder so it can run next to a developer's fleet: all healthy, status shows them, down stops
 * every process.
 */
class FleetUpIT {

    @TempDir
    Path fleetDir;

    private Fleet fleet;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @AfterEach
    void stopEverything() {
        if (fleet != null) {
            fleet.down();
        }
    }

    @Test
    void shouldBringEveryPartToHealthyAndStopThemAll() {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        FleetLayout layout = FleetLayout.defaults(repo).withFleetDir(fleetDir)
                .withPorts(Ports.freePort(), Ports.freePort());
        layout.services().forEach(s -> assumeTrue(Files.exists(repo.resolve(s.jarPath())), s.jarPath() + " not built"));
        fleet = new Fleet(layout, new PrintStream(output, true, StandardCharsets.UTF_8));
        assertThat(fleet.preflight()).isEmpty();

        fleet.up(false);

        assertThat(fleet.healthy()).as(output.toString(StandardCharsets.UTF_8)).isTrue();
        Map<String, String> status = fleet.status();
        assertThat(status).containsKeys("kafka", "ingest-gateway", "stream-processor", "cep-detector",
                "session-analytics", "alert-api");
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("Development API key").contains("/v1/orders");

        fleet.down();
        assertThat(fleet.status().values()).allMatch(s -> s.equals("stopped"));
        assertThat(fleet.preflight()).isEmpty();
    }
}
