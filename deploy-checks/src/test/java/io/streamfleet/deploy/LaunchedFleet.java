package io.streamfleet.deploy;

import io.streamfleet.launcher.Fleet;
import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.process.Ports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole fleet as the launcher runs it, from the repository's jars, in a directory of the test's own and on free
 * broker ports, for a test class: skipped (an assumption) while the launcher or a service jar is not built. What the
 * launcher printed is kept for failure messages.
 */
final class LaunchedFleet implements AutoCloseable {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final FleetLayout layout;
    private final Fleet fleet;

    private LaunchedFleet(Path fleetDir) {
        layout = FleetLayout.defaults(RepoFiles.ROOT).withFleetDir(fleetDir)
                .withPorts(Ports.freePort(), Ports.freePort());
        assumeTrue(Files.exists(layout.launcherJar()), layout.launcherJar() + " not built");
        layout.services().forEach(s -> assumeTrue(Files.exists(RepoFiles.ROOT.resolve(s.jarPath())),
                s.jarPath() + " not built"));
        fleet = new Fleet(layout, new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    /** Starts broker and services (and the demo traffic if asked), returning once every service is ready. */
    static LaunchedFleet up(Path fleetDir, boolean demo) {
        LaunchedFleet launched = new LaunchedFleet(fleetDir);
        assertThat(launched.fleet.preflight()).isEmpty();
        try {
            launched.fleet.up(demo);
        } catch (RuntimeException | Error e) {
            launched.close(); // a half-started fleet: the caller never gets a handle to stop it
            throw e;
        }
        return launched;
    }

    FleetLayout layout() {
        return layout;
    }

    int port(String service) {
        return layout.service(service).port();
    }

    /** The development API key the launcher made. */
    String devKey() throws IOException {
        return Files.readString(layout.devKeyFile()).trim();
    }

    String launcherOutput() {
        return output.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        fleet.down();
    }
}
