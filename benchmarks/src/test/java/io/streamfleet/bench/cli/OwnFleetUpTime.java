package io.streamfleet.bench.cli;

import io.streamfleet.launcher.Fleet;
import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.process.Ports;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How long {@code ./fleet up --no-demo} takes (broker and every service to readiness), on free ports in a temporary
 * folder so it can run next to a developer's fleet; the launcher's own lines are printed with the seconds since the
 * start. Then everything is stopped. Settings for the services come from this process's environment (for instance
 * {@code STREAMFLEET_GATEWAY_WARM_UP_ENABLED=false}). {@code -Dbench.fleet.repo=DIR} picks the checkout.
 */
public final class OwnFleetUpTime {

    private OwnFleetUpTime() {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(System.getProperty("bench.fleet.repo", "..")).toAbsolutePath().normalize();
        Path dir = Files.createTempDirectory("fleet-up-time");
        FleetLayout layout = FleetLayout.defaults(repo).withFleetDir(dir).withPorts(Ports.freePort(), Ports.freePort());
        long started = System.nanoTime();
        PrintStream timed = new PrintStream(new OutputStream() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(int b) {
                if (b == '\n') {
                    System.out.printf("%6.1f s  %s%n", (System.nanoTime() - started) / 1e9, line);
                    line.setLength(0);
                } else {
                    line.append((char) b);
                }
            }
        }, true, StandardCharsets.UTF_8);
        Fleet fleet = new Fleet(layout, timed);
        try {
            List<String> problems = fleet.preflight();
            if (!problems.isEmpty()) {
                throw new IllegalStateException("cannot start the fleet: " + problems);
            }
            fleet.up(false);
            System.out.printf("fleet up (no demo) took %.1f s; load %s%n", (System.nanoTime() - started) / 1e9,
                    Files.readString(Path.of("/proc/loadavg")).strip());
        } finally {
            fleet.down();
        }
    }
}
