package io.streamfleet.bench.cli;

import io.streamfleet.launcher.DevApiKey;
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
 * gateway's pid; the gateway URL is printed before the gateway starts, so {@code fleet-bench ingest --await-ready} can
 * load it from the moment it reports ready. {@code -Dbench.fleet.repo=DIR} picks the checkout whose jars run (default:
 * the parent folder); {@code -Dbench.fleet.archive=false} starts the gateway from its jar even if it has a start-up
 * archive; further {@code STREAMFLEET_*} settings reach the gateway through this process's environment.
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
        String url = "http://localhost:" + layout.service(Fleet.GATEWAY).port();
        DevApiKey.loadOrCreate(layout.devKeyFile());
        System.out.println("starting  " + url + " (readiness at " + url + "/actuator/health/readiness, key file "
                + layout.devKeyFile() + ")");
        System.out.flush();
        long started = System.nanoTime();
        fleet.startService(Fleet.GATEWAY, Boolean.parseBoolean(System.getProperty("bench.fleet.archive", "true")));
        System.out.printf("gateway ready %.1f s after launch (seen by the launcher's 500 ms poll)%n",
                (System.nanoTime() - started) / 1e9);
        System.out.println("gateway   " + url);
        System.out.println("bootstrap " + layout.bootstrapServers());
        System.out.println("key-file  " + layout.devKeyFile());
        System.out.println("pids      " + layout.pids());
        System.out.flush();
        stopped.await();
    }
}
