package io.streamfleet.bench.cli;

import io.streamfleet.bench.lag.EngagementStreamTime;
import io.streamfleet.launcher.Fleet;
import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.process.Ports;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One fleet of {@link ScaleOutBench}: broker and services on free ports in a temporary folder, with fresh state, and
 * the extra Streams instances started on it. {@link #close()} stops the extra instances, then the fleet (services
 * first, broker last, as {@code ./fleet down}), and deletes the folder; it runs once, from the bench or its shutdown
 * hook.
 */
final class ScaleOutFleet implements AutoCloseable {

    private final int number;
    private final Path dir;
    private final FleetLayout layout;
    private final Fleet fleet;
    private final StreamsInstances instances;
    private final Instant started;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ScaleOutFleet(int number, Path dir, FleetLayout layout, Fleet fleet, StreamsInstances instances) {
        this.number = number;
        this.dir = dir;
        this.layout = layout;
        this.fleet = fleet;
        this.instances = instances;
        this.started = Instant.now();
    }

    /** Starts fleet number {@code number} from the jars of {@code repo}, with {@code partitions} data partitions. */
    static ScaleOutFleet start(int number, Path repo, int partitions, PrintStream out) throws IOException {
        Path dir = Files.createTempDirectory("scale-out-fleet");
        FleetLayout layout = FleetLayout.defaults(repo).withFleetDir(dir).withPorts(Ports.freePort(), Ports.freePort());
        Fleet fleet = new Fleet(layout, out);
        try {
            List<String> problems = fleet.preflight();
            if (!problems.isEmpty()) {
                throw new IllegalStateException("cannot start the fleet: " + problems);
            }
            fleet.up(false, true, partitions);
            return new ScaleOutFleet(number, dir, layout, fleet, new StreamsInstances(fleet));
        } catch (RuntimeException e) {
            fleet.down();
            deleteTree(dir);
            throw e;
        }
    }

    int number() {
        return number;
    }

    FleetLayout layout() {
        return layout;
    }

    StreamsInstances instances() {
        return instances;
    }

    Instant started() {
        return started;
    }

    /** The fleet's engagement stream time, as the run reads it; empty while it has seen no engagement event. */
    OptionalLong engagementStreamTime() {
        return new EngagementStreamTime(layout.bootstrapServers(), Duration.ofSeconds(15)).read();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            instances.close();
        } finally {
            fleet.down();
            try {
                deleteTree(dir);
            } catch (IOException e) {
                System.err.println("could not delete " + dir + ": " + e);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
