package io.streamfleet.drills;

import io.streamfleet.launcher.DevApiKey;
import io.streamfleet.launcher.Fleet;
import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.ServiceSpec;
import io.streamfleet.launcher.broker.TopicSetup;
import io.streamfleet.launcher.process.HealthProbe;
import io.streamfleet.launcher.process.ManagedProcess;
import io.streamfleet.launcher.process.Ports;
import io.streamfleet.launcher.startup.StartupArchive;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real fleet for drills: the launcher's KRaft broker and the five service jars as processes on free ports in a
 * folder of its own. Services are started here (not by {@link Fleet#up}) so a drill can pass settings (short webhook
 * back-off), run a second instance of a service and SIGKILL any instance. The jars are copied first, so a build
 * running next to the drill cannot swap a jar under a restarting service.
 */
public final class DrillFleet implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(150);
    private static final Duration STOP = Duration.ofSeconds(40);

    private final FleetLayout layout;
    private final Fleet fleet;
    private final PrintStream log;
    private final Map<String, List<String>> serviceArgs;
    /** instance (part) name → service it runs and its port. */
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    /** Instances SIGSTOPped and not continued yet: {@link #down} continues them first, so SIGTERM can work. */
    private final java.util.Set<String> paused = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private String devKey;

    public record Instance(String part, ServiceSpec service, int port) {
    }

    private final EngagementClocks engagementClocks = new EngagementClocks();

    private DrillFleet(FleetLayout layout, PrintStream log, Map<String, List<String>> serviceArgs) {
        this.layout = layout;
        this.fleet = new Fleet(layout, log);
        this.log = log;
        this.serviceArgs = serviceArgs;
    }

    /** Snapshots taken in this JVM, by repository: every drill of a run uses the same copy and archives. */
    private static final Map<Path, Path> SNAPSHOTS = new HashMap<>();

    /**
     * Lays the fleet out under {@code workDir} on free ports, running a snapshot of the built jars of {@code repo}
     * (taken once per JVM and repository). The snapshot gets its own start-up archives, so the drills restart services
     * the way the launcher does; {@code -Ddrills.startupArchives=false} skips them (the services then start from their
     * jars, and a failed training only costs that).
     */
    public static DrillFleet prepare(Path repo, Path workDir, PrintStream log, Map<String, List<String>> serviceArgs) {
        Path snapshot = snapshot(repo.toAbsolutePath().normalize(), log);
        FleetLayout layout = FleetLayout.defaults(snapshot).withFleetDir(workDir.resolve("fleet"))
                .withPorts(Ports.freePort(), Ports.freePort());
        return new DrillFleet(layout, log, serviceArgs);
    }

    private static synchronized Path snapshot(Path repo, PrintStream log) {
        Path existing = SNAPSHOTS.get(repo);
        if (existing != null) {
            return existing;
        }
        Path snapshot;
        try {
            snapshot = Files.createTempDirectory("drill-jars");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for the drill's jars", e);
        }
        FleetLayout source = FleetLayout.defaults(repo);
        for (ServiceSpec s : source.services()) {
            copy(repo.resolve(s.jarPath()), snapshot.resolve(s.jarPath()));
        }
        Path launcherTarget = repo.resolve("fleet-launcher/target");
        copy(launcherTarget.resolve("fleet-launcher.jar"), snapshot.resolve("fleet-launcher/target/fleet-launcher.jar"));
        try (Stream<Path> libs = Files.list(launcherTarget.resolve("lib"))) {
            libs.forEach(p -> copy(p, snapshot.resolve("fleet-launcher/target/lib").resolve(p.getFileName())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + launcherTarget.resolve("lib"), e);
        }
        if (!"false".equals(System.getProperty("drills.startupArchives"))) {
            long t0 = System.nanoTime();
            log.println("Start-up archives for the drill's jars:");
            FleetLayout trainingLayout = FleetLayout.defaults(snapshot).withFleetDir(snapshot.resolve("training"))
                    .withPorts(Ports.freePort(), Ports.freePort());
            new Fleet(trainingLayout, log).prepareStartupArchives();
            log.printf("  (%.0f s)%n", (System.nanoTime() - t0) / 1e9);
        }
        SNAPSHOTS.put(repo, snapshot);
        // jars, extracted jars and archives: about 2 GB that nothing needs once the drills' JVM ends
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(snapshot), "drill-jars-cleanup"));
        return snapshot;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort at JVM exit; the folder is under java.io.tmpdir
        }
    }

    /**
     * The fleet laid out under {@code workDir} but running the jars where {@code repo} has them, without a copy: the
     * services start with their start-up archives where these are usable (an archive only fits the jar path it was
     * made for). For benchmarks of start-up and recovery; drills use {@link #prepare}.
     */
    public static DrillFleet inPlace(Path repo, Path workDir, PrintStream log) {
        FleetLayout layout = FleetLayout.defaults(repo).withFleetDir(workDir.resolve("fleet"))
                .withPorts(Ports.freePort(), Ports.freePort());
        return new DrillFleet(layout, log, Map.of());
    }

    /** What is missing to run drills from {@code repo} (empty when the jars are built). */
    public static List<String> missingJars(Path repo) {
        List<String> missing = new ArrayList<>();
        FleetLayout layout = FleetLayout.defaults(repo);
        if (!Files.exists(layout.launcherJar())) {
            missing.add(layout.launcherJar().toString());
        }
        layout.services().stream().map(s -> repo.resolve(s.jarPath())).filter(p -> !Files.exists(p))
                .forEach(p -> missing.add(p.toString()));
        return missing;
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }

    /** Broker, topics and the five services, each ready. */
    public void up() {
        up(List.of());
    }

    /** Broker, topics, the five services and a second instance ({@code <service>-b}) of each named service. */
    public void up(List<String> twins) {
        up(twins, List.of());
    }

    /**
     * Broker, topics and every service but those left out (a replay target runs without ingest-gateway, whose clock
     * marks would mix with the recorded ones), plus a second instance ({@code <service>-b}) of each named service.
     */
    public void up(List<String> twins, List<String> leftOut) {
        devKey = DevApiKey.loadOrCreate(layout.devKeyFile());
        fleet.startBroker();
        TopicSetup.ensureTopics(layout.bootstrapServers());
        List<String> parts = new ArrayList<>();
        for (ServiceSpec s : layout.services()) {
            if (leftOut.contains(s.name())) {
                continue;
            }
            instances.put(s.name(), new Instance(s.name(), s, s.port()));
            launch(s.name());
            parts.add(s.name());
        }
        for (String twin : twins) {
            String part = twin + "-b";
            instances.put(part, new Instance(part, layout.service(twin), Ports.freePort()));
            launch(part);
            parts.add(part);
        }
        awaitReady(parts);
    }

    /** Starts a second instance of a service under its own part name, port and state directory; waits until ready. */
    public Instance addInstance(String service, String part) {
        Instance instance = new Instance(part, layout.service(service), Ports.freePort());
        instances.put(part, instance);
        launch(part);
        awaitReady(List.of(part));
        return instance;
    }

    /** SIGKILL: no shutdown hook, no close, no commit. */
    public void kill(String part) {
        paused.remove(part);
        process(part).running().ifPresent(h -> {
            h.destroyForcibly();
            h.onExit().join();
        });
        process(part).stop(Duration.ofSeconds(1));
    }

    /**
     * SIGSTOP: the process stays alive and keeps its sockets, but runs no instruction (no poll, no heartbeat, no
     * commit; an open transaction times out at the broker) until {@link #resume}.
     */
    public void pause(String part) {
        signal(part, "STOP");
        paused.add(part);
    }

    /** SIGCONT: a paused instance runs on from where it stopped. */
    public void resume(String part) {
        signal(part, "CONT");
        paused.remove(part);
    }

    public boolean isPaused(String part) {
        return paused.contains(part);
    }

    /** The instances of a service that run now: its own part and any second instance ({@code <service>-b}). */
    public List<String> runningInstances(String service) {
        return instances.values().stream().filter(i -> i.service().name().equals(service))
                .map(Instance::part).filter(this::isRunning).toList();
    }

    private void signal(String part, String signal) {
        long pid = process(part).running().orElseThrow(() -> new IllegalStateException(part + " is not running"))
                .pid();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .start();
            String out = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " (" + part + ") failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal " + part, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + part, e);
        }
    }

    /** SIGTERM and wait (SIGKILL after the stop timeout); the instance stays known, so {@link #restart} starts it. */
    public void stop(String part) {
        paused.remove(part);
        process(part).stop(STOP);
    }

    /** Starts a (killed or stopped) instance again, returning once it is ready. */
    public void restart(String part) {
        if (isRunning(part)) {
            return;
        }
        launch(part);
        awaitReady(List.of(part));
    }

    /** Forgets a stopped extra instance, so {@link #down} does not look for it. */
    public void remove(String part) {
        process(part).stop(STOP);
        instances.remove(part);
    }

    public boolean stopBroker() {
        return fleet.stopBroker();
    }

    public void startBroker() {
        fleet.startBroker();
    }

    public boolean hasInstance(String part) {
        return instances.containsKey(part);
    }

    public boolean isRunning(String part) {
        return process(part).running().isPresent();
    }

    public String readiness(String part) {
        return HealthProbe.readiness(instances.get(part).port());
    }

    /**
     * Whether the part says it is beyond recovery (liveness DOWN: a Streams client whose stream thread died). Such a
     * service asks to be restarted; in Kubernetes the kubelet does it, here the drill must.
     */
    public boolean reportsDead(String part) {
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:"
                            + instances.get(part).port() + "/actuator/health/liveness"))
                            .timeout(Duration.ofSeconds(3)).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return response.body().replace(" ", "").contains("\"status\":\"DOWN\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ManagedProcess process(String part) {
        return new ManagedProcess(part, layout.logs(), layout.pids());
    }

    private void launch(String part) {
        Instance instance = instances.get(part);
        ServiceSpec s = instance.service();
        List<String> jvm = List.of("-Xms64m", "-Xmx" + (s.streams() ? "512m" : "384m"), "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError", "-Dstreamfleet.fleet.dir=" + layout.fleetDir());
        // with its start-up archive where usable (never for the copied jars of a drill), else the fat jar
        List<String> args = new ArrayList<>(
                StartupArchive.forJar(layout.repoRoot().resolve(s.jarPath())).launchArgs());
        args.addAll(serviceArgs.getOrDefault(s.name(), List.of()));
        Map<String, String> env = new HashMap<>();
        env.put("SERVER_PORT", Integer.toString(instance.port()));
        env.put("STREAMFLEET_KAFKA_BOOTSTRAP_SERVERS", layout.bootstrapServers());
        env.put("SPRING_PROFILES_ACTIVE", "local");
        if (s.streams()) {
            env.put("STREAMFLEET_STATE_DIR", layout.stateDir(part).toString());
            // static membership: a restarted instance takes its tasks back at once; the part name is unique per fleet
            env.put("STREAMFLEET_STREAMS_INSTANCE_ID", part);
        }
        if (s.usesApiKeys()) {
            env.put("STREAMFLEET_SECURITY_DEV_KEY", devKey);
        }
        process(part).start(jvm, args, env, layout.repoRoot());
    }

    private void awaitReady(List<String> parts) {
        long deadline = System.nanoTime() + READY.toNanos();
        List<String> pending = new ArrayList<>(parts);
        while (!pending.isEmpty()) {
            for (String part : List.copyOf(pending)) {
                if (process(part).running().isEmpty()) {
                    throw new IllegalStateException(part + " exited during start-up:\n" + process(part).logTail(40));
                }
                if ("UP".equals(readiness(part))) {
                    pending.remove(part);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not ready within " + READY.toSeconds() + " s: " + pending
                        + "; logs in " + layout.logs());
            }
            if (!pending.isEmpty()) {
                Sleep.ms(250);
            }
        }
    }

    /** Stops every instance (SIGTERM in parallel, SIGKILL after the timeout), then the broker. */
    public void down() {
        for (String part : List.copyOf(paused)) {
            try {
                resume(part);
            } catch (RuntimeException e) {
                log.printf("could not continue %s: %s%n", part, e.getMessage());
            }
        }
        instances.keySet().forEach(p -> process(p).requestStop());
        for (String part : instances.keySet()) {
            if (!process(part).stop(STOP)) {
                log.printf("%s did not stop within %d s and was killed%n", part, STOP.toSeconds());
            }
        }
        fleet.stopBroker();
    }

    /** Non-overlapping engagement event time for the drills run on this fleet. */
    EngagementClocks engagementClocks() {
        return engagementClocks;
    }

    @Override
    public void close() {
        down();
    }

    public FleetLayout layout() {
        return layout;
    }

    public String gatewayUrl() {
        return "http://localhost:" + instances.get("ingest-gateway").port();
    }

    public String alertApiUrl() {
        return "http://localhost:" + instances.get("alert-api").port();
    }

    public String bootstrap() {
        return layout.bootstrapServers();
    }

    public String apiKey() {
        return devKey;
    }

    public Path logs() {
        return layout.logs();
    }
}
