package io.streamfleet.bench.cli;

import io.streamfleet.launcher.Fleet;
import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.broker.TopicSetup;
import io.streamfleet.launcher.process.Ports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Starts a broker and the packaged ingest-gateway (nothing else) on free ports in a temporary folder and keeps them
 * up until this process is stopped (Ctrl-C / SIGTERM stops both), so the gateway can be loaded by fleet-bench and by
 * {@code wrk} side by side, and profiled. Prints the gateway URL, the bootstrap servers, the API key file and the
 * gateway's pid. {@code -Dbench.fleet.repo=DIR} picks the checkout whose jars run (default: the parent folder).
 */
public final class OwnGatewayFleet {

    private OwnGatewayFleet() {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(System.getProperty("bench.fleet.repo", "..")).toAbsolutePath().normalize();
        Path dir = Files.createTempDirectory("fleet-bench-gateway");
        FleetLayout layout = FleetLayout.defaults(repo).withFleetDir(dir).withPorts(Ports.freePort(), Ports.freePort());
        Fleet fleet = new Fleet(layout, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fleet.down();
            stopped.countDown();
        }));
        fleet.startBroker();
        TopicSetup.ensureTopics(layout.bootstrapServers());
        long started = System.nanoTime();
        fleet.startService(Fleet.GATEWAY);
        System.out.printf("gateway ready %.1f s after launch%n", (System.nanoTime() - started) / 1e9);
        System.out.println("gateway   http://localhost:" + layout.service(Fleet.GATEWAY).port());
        System.out.println("bootstrap " + layout.bootstrapServers());
        System.out.println("key-file  " + layout.devKeyFile());
        System.out.println("pids      " + layout.pids());
        System.out.flush();
        stopped.await();
    }
}
