package io.streamfleet.bench.cli;

import io.streamfleet.launcher.Fleet;
import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.process.Ports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs fleet-bench against a fleet of its own: broker and services on free ports in a temporary folder, started
 * with the launcher's API and stopped afterwards, so a benchmark can run next to a developer's fleet on the
 * standard ports. Arguments are those of {@code fleet-bench run}; {@code -Dbench.fleet.repo=DIR} picks the checkout
 * whose jars run (default: the parent folder). The gateway's self-warm-up is on ({@link BenchFleetWarmUp}).
 */
public final class OwnFleetBench {

    private OwnFleetBench() {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(System.getProperty("bench.fleet.repo", "..")).toAbsolutePath().normalize();
        BenchFleetWarmUp.apply(System.out);
        Path dir = Files.createTempDirectory("fleet-bench-fleet");
        FleetLayout layout = FleetLayout.defaults(repo).withFleetDir(dir).withPorts(Ports.freePort(), Ports.freePort());
        Fleet fleet = new Fleet(layout, System.out);
        int exit;
        try {
            List<String> problems = fleet.preflight();
            if (!problems.isEmpty()) {
                throw new IllegalStateException("cannot start the fleet: " + problems);
            }
            fleet.up(false);
            List<String> all = new ArrayList<>(List.of("run",
                    "--gateway", "http://localhost:" + layout.service("ingest-gateway").port(),
                    "--alerts", "http://localhost:" + layout.service("alert-api").port(),
                    "--bootstrap", layout.bootstrapServers(),
                    "--api-key-file", layout.devKeyFile().toString(),
                    "--pids", layout.pids().toString()));
            all.addAll(List.of(args));
            exit = FleetBench.run(all, System.out);
        } finally {
            fleet.down();
        }
        System.exit(exit);
    }
}
