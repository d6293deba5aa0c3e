package io.streamfleet.launcher;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the local fleet lives and which ports it uses. Defaults are the documented ones (README.md#ports); tests use
 * other ports and folders.
 *
 * @param repoRoot       the repository root (where the built jars are)
 * @param fleetDir       local data: broker log dirs, state dirs, logs, pid files, the dev API key, the parts left out
 * @param kafkaPort      broker listener
 * @param controllerPort KRaft controller listener
 * @param services       the services with their ports
 */
public record FleetLayout(Path repoRoot, Path fleetDir, int kafkaPort, int controllerPort, List<ServiceSpec> services) {

    public FleetLayout {
        services = List.copyOf(services);
    }

    public static FleetLayout defaults(Path repoRoot) {
        return new FleetLayout(repoRoot, repoRoot.resolve(".fleet"), 9092, 9093, ServiceSpec.defaults());
    }

    public Path logs() {
        return fleetDir.resolve("logs");
    }

    public Path pids() {
        return fleetDir.resolve("pids");
    }

    public Path kafkaDir() {
        return fleetDir.resolve("kafka");
    }

    public Path stateDir(String service) {
        return fleetDir.resolve("state").resolve(service);
    }

    public Path devKeyFile() {
        return fleetDir.resolve("dev-api-key");
    }

    /** The parts the last {@code up} left out on purpose ({@code up --no-gateway}), one name a line; absent otherwise. */
    public Path leftOutFile() {
        return fleetDir.resolve("left-out");
    }

    public String bootstrapServers() {
        return "localhost:" + kafkaPort;
    }

    public Path launcherJar() {
        return repoRoot.resolve("fleet-launcher/target/fleet-launcher.jar");
    }

    /** Classpath of the launcher jar and its dependencies, used to run the broker and the demo as processes. */
    public String launcherClasspath() {
        Path target = repoRoot.resolve("fleet-launcher/target");
        return target.resolve("fleet-launcher.jar") + java.io.File.pathSeparator + target.resolve("lib") + "/*";
    }

    public ServiceSpec service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown service " + name));
    }

    public FleetLayout withKafkaPort(int port) {
        return new FleetLayout(repoRoot, fleetDir, port, controllerPort, services);
    }

    /** The same fleet on other broker ports and on free service ports (for tests next to a running fleet). */
    public FleetLayout withPorts(int newKafkaPort, int newControllerPort) {
        List<ServiceSpec> moved = services.stream()
                .map(s -> s.withPort(io.streamfleet.launcher.process.Ports.freePort())).toList();
        return new FleetLayout(repoRoot, fleetDir, newKafkaPort, newControllerPort, moved);
    }

    public FleetLayout withFleetDir(Path dir) {
        return new FleetLayout(repoRoot, dir, kafkaPort, controllerPort, services);
    }
}
