package io.streamfleet.launcher;

import io.streamfleet.launcher.process.CpuPriority;
import io.streamfleet.launcher.process.ManagedProcess;
import io.streamfleet.launcher.process.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * every process; on Linux the Streams services stand back for the request path (lower CPU priority).
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
        assertStreamsServicesStandBack();

        fleet.down();
        assertThat(fleet.status().values()).allMatch(s -> s.equals("stopped"));
        assertThat(fleet.preflight()).isEmpty();
    }

    /** Linux: the Streams services and their session groups at the local nice value, the request path at 0. */
    private void assertStreamsServicesStandBack() {
        boolean autogroups = Files.exists(Path.of("/proc/self/autogroup"));
        if (!autogroups || System.getenv(CpuPriority.STREAMS_NICE_VARIABLE) != null) {
            return; // elsewhere the launcher sets only the process's nice value; a set variable changes the level
        }
        for (ManagedProcess part : fleet.parts()) {
            part.running().ifPresent(process -> {
                boolean streams = fleet.layout().services().stream()
                        .anyMatch(s -> s.streams() && s.name().equals(part.name()));
                int expected = streams ? CpuPriority.LOCAL_STREAMS_NICE : 0;
                assertThat(niceOf(process.pid())).as("nice of " + part.name()).isEqualTo(expected);
                assertThat(read(Path.of("/proc", Long.toString(process.pid()), "autogroup")))
                        .as("session group of " + part.name()).endsWith(" nice " + expected);
            });
        }
    }

    /** Field 19 of /proc/PID/stat; the fields after the command's closing parenthesis start at field 3. */
    private static int niceOf(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
