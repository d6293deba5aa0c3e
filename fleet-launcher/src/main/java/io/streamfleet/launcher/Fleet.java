package io.streamfleet.launcher;

import io.streamfleet.launcher.broker.LocalBroker;
import io.streamfleet.launcher.broker.TopicSetup;
import io.streamfleet.launcher.process.CpuPriority;
import io.streamfleet.launcher.process.HealthProbe;
import io.streamfleet.launcher.process.ManagedProcess;
import io.streamfleet.launcher.process.Ports;
import io.streamfleet.launcher.startup.StartupArchive;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The local fleet: a KRaft broker, the topics, the five services and optional demo traffic, each its own process.
 * {@link #up} starts what is not running and waits until every part is healthy; {@link #down} stops everything in
 * reverse order (demo, services, broker).
 *
 * <p>Replay mode ({@code up --no-gateway}) leaves out the ingest-gateway and, since it posts to the gateway, the demo
 * traffic: a running gateway writes its own {@code clock} progress records into the raw topics every 200 ms, which
 * would mix with a replayed recording's. The parts left out are listed in {@link FleetLayout#leftOutFile()} so that
 * {@link #status} reports them as left out rather than stopped; {@link #down} removes the file.
 *
 * <p>A service starts with its start-up archive when it has a usable one ({@link StartupArchive}; made by
 * {@link #prepareStartupArchives}), else from its fat jar. A service that exits during a start with its archive is
 * started again from the jar and the archive is discarded: an archive can make a start faster, never fail it.
 */
public final class Fleet {

    public static final String DEMO = "demo-traffic";
    public static final String GATEWAY = "ingest-gateway";
    /** Status of a part deliberately left out by {@code up --no-gateway}. */
    public static final String LEFT_OUT = "left out (--no-gateway)";
    /** Prefix of the system property with extra JVM options for one service, e.g. {@code ...ingest-gateway}. */
    public static final String EXTRA_JVM_OPTIONS = "streamfleet.fleet.extra-jvm-options.";
    /** Heap of a Streams service and of the gateway / alert-api (see {@link #serviceJvmArgs}). */
    private static final List<String> STREAMS_HEAP = List.of("-Xms384m", "-Xmx512m", "-Xmn160m");
    private static final List<String> WEB_HEAP = List.of("-Xms192m", "-Xmx384m", "-Xmn96m");
    private static final Duration BROKER_START = Duration.ofSeconds(90);
    private static final Duration SERVICE_START = Duration.ofSeconds(150);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);

    private final FleetLayout layout;
    private final PrintStream out;
    private final LocalBroker broker;

    public Fleet(FleetLayout layout, PrintStream out) {
        this.layout = layout;
        this.out = out;
        this.broker = new LocalBroker(layout);
    }

    /** Every part in start order. */
    public List<ManagedProcess> parts() {
        List<ManagedProcess> parts = new ArrayList<>();
        parts.add(broker.process());
        for (ServiceSpec service : layout.services()) {
            parts.add(serviceProcess(service));
        }
        parts.add(new ManagedProcess(DEMO, layout.logs(), layout.pids()));
        return parts;
    }

    private ManagedProcess serviceProcess(ServiceSpec service) {
        return new ManagedProcess(service.name(), layout.logs(), layout.pids());
    }

    /** Checks what must hold before the whole fleet starts; returns the problems found. */
    public List<String> preflight() {
        return preflight(true);
    }

    /**
     * Checks what must hold before anything starts; returns the problems found. No part may be running (not even a
     * gateway left out); jars and ports are checked only for the services that {@code up} will start.
     */
    public List<String> preflight(boolean gateway) {
        List<String> problems = new ArrayList<>();
        for (ManagedProcess part : parts()) {
            part.running().ifPresent(h -> problems.add(part.name() + " is already running (pid " + h.pid()
                    + "); use './fleet status' or './fleet down'"));
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        if (!Files.exists(layout.launcherJar())) {
            problems.add("missing " + layout.launcherJar() + "; build with 'mvn -B -DskipTests package'");
        }
        List<ServiceSpec> starting = servicesToStart(gateway);
        for (ServiceSpec service : starting) {
            if (!Files.exists(layout.repoRoot().resolve(service.jarPath()))) {
                problems.add("missing " + service.jarPath() + "; build with 'mvn -B -DskipTests package'");
            }
        }
        checkPort(problems, "Kafka", layout.kafkaPort());
        checkPort(problems, "the Kafka controller", layout.controllerPort());
        for (ServiceSpec service : starting) {
            checkPort(problems, service.name(), service.port());
        }
        return problems;
    }

    private static void checkPort(List<String> problems, String what, int port) {
        if (!Ports.isFree(port)) {
            problems.add("port " + port + " (for " + what + ") is already in use; stop whatever listens there");
        }
    }

    /** The services {@code up} starts, in start order: all of them, or all but the ingest-gateway (replay mode). */
    public List<ServiceSpec> servicesToStart(boolean gateway) {
        return layout.services().stream().filter(s -> gateway || !s.name().equals(GATEWAY)).toList();
    }

    /** Starts the broker, topics, services and (optionally) demo traffic; throws with a clear message on failure. */
    public void up(boolean demo) {
        up(demo, true);
    }

    /**
     * Starts the broker, topics, the services and (optionally) demo traffic; throws with a clear message on failure.
     * Without the gateway (replay mode) there is no demo traffic whatever {@code demo} says, and the parts left out
     * are recorded for {@link #status}.
     */
    public void up(boolean demo, boolean gateway) {
        up(demo, gateway, TopicSetup.partitionsFrom(System.getenv()));
    }

    /** As {@link #up(boolean, boolean)}, with the data-flow topics' partition count given rather than read. */
    public void up(boolean demo, boolean gateway, int partitions) {
        boolean withDemo = demo && gateway;
        recordLeftOut(gateway ? Set.of() : Set.of(GATEWAY, DEMO));
        if (!gateway) {
            out.println("Replay mode: ingest-gateway and demo traffic are left out, so 'fleet-bench replay' can load a"
                    + " recording into the raw topics.");
        }
        CpuPriority streams = CpuPriority.streamsFrom(System.getenv()); // a bad value fails before anything starts
        String devKey = DevApiKey.loadOrCreate(layout.devKeyFile());
        long started = System.nanoTime();
        out.printf("Starting the Kafka broker on localhost:%d (data in %s)%n", layout.kafkaPort(), layout.kafkaDir());
        boolean firstRun = !broker.isFormatted();
        startBroker();
        List<String> created = TopicSetup.ensureTopics(layout.bootstrapServers(), partitions);
        out.printf("Broker ready%s; topics: %s (%d partitions each for the data flow)%n",
                firstRun ? " (storage formatted on first run)" : "",
                created.isEmpty() ? "all present" : "created " + String.join(", ", created), partitions);
        Map<String, Integer> mismatches = TopicSetup.partitionMismatches(layout.bootstrapServers(), partitions);
        if (!mismatches.isEmpty()) {
            out.printf("  note: existing topics keep their partitions %s, not %d; a fleet with fresh state takes a new"
                    + " count: ./fleet down && rm -rf .fleet/kafka .fleet/state%n", mismatches, partitions);
        }

        Map<ServiceSpec, ProcessHandle> handles = new LinkedHashMap<>();
        Set<ServiceSpec> withArchive = new HashSet<>();
        for (ServiceSpec service : servicesToStart(gateway)) {
            handles.put(service, launch(service, devKey, withArchive));
            out.printf("Starting %-18s on port %d%s%n", service.name(), service.port(),
                    withArchive.contains(service) ? " (start-up archive)" : "");
        }
        if (streams.lowered()) {
            out.printf("  (the Streams services run at nice %d, behind broker and gateway when the cores are busy;"
                    + " %s=0 turns that off)%n", streams.nice(), CpuPriority.STREAMS_NICE_VARIABLE);
        }
        if (withArchive.size() < handles.size()) {
            out.println("  (services without a start-up archive start slower; './fleet archives' makes them,"
                    + " docs/recovery.md)");
        }
        awaitHealthy(handles, withArchive, devKey);
        if (withDemo) {
            new ManagedProcess(DEMO, layout.logs(), layout.pids()).start(
                    List.of("-Xmx128m", "-Dlog4j2.configurationFile=classpath:log4j2-fleet.xml",
                            "-cp", layout.launcherClasspath()),
                    List.of("io.streamfleet.launcher.demo.DemoTrafficMain",
                            "http://localhost:" + layout.service(GATEWAY).port(),
                            layout.devKeyFile().toString()),
                    Map.of(), layout.repoRoot());
        }
        out.printf("Fleet up in %.1f s.%n", (System.nanoTime() - started) / 1e9);
        if (gateway) {
            printWhereToLook(devKey, withDemo);
        } else {
            printReplayHints(devKey, firstRun);
        }
    }

    /** Formats (first run only) and starts the broker, returning once it answers metadata requests. */
    public void startBroker() {
        broker.prepare();
        broker.awaitReady(broker.start(), BROKER_START);
    }

    /** Stops the broker gracefully (for drills; services keep running). */
    public boolean stopBroker() {
        return broker.process().stop(STOP_TIMEOUT);
    }

    /** Starts one service and waits until it is ready (used to restart a service in drills). */
    public void startService(String name) {
        startService(name, true);
    }

    /**
     * Starts one service, with its start-up archive only if {@code archiveIfUsable} and it has a usable one, and waits
     * until it is ready (benchmarks compare starts with and without the archive).
     */
    public void startService(String name, boolean archiveIfUsable) {
        ServiceSpec service = layout.service(name);
        String devKey = DevApiKey.loadOrCreate(layout.devKeyFile());
        Set<ServiceSpec> withArchive = new HashSet<>();
        Map<ServiceSpec, ProcessHandle> handles = new HashMap<>();
        handles.put(service, archiveIfUsable ? launch(service, devKey, withArchive) : launch(service, devKey, false));
        awaitHealthy(handles, withArchive, devKey);
    }

    /** Kills a part with SIGKILL: no shutdown hook, no graceful close (for crash drills). */
    public void kill(String name) {
        ManagedProcess part = parts().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown part " + name));
        part.running().ifPresent(h -> {
            h.destroyForcibly();
            h.onExit().join();
        });
        part.stop(Duration.ofSeconds(1));
    }

    public FleetLayout layout() {
        return layout;
    }

    /**
     * Creates the start-up archive of every service that has none or a stale one; true when all have a usable one.
     * Running services are skipped.
     */
    public boolean prepareStartupArchives() {
        return new StartupArchives(layout, out, this::serviceJvmArgs,
                s -> serviceEnv(s, DevApiKey.loadOrCreate(layout.devKeyFile()))).prepare();
    }

    /** Launches a service with its start-up archive if it has a usable one, and then adds it to {@code withArchive}. */
    private ProcessHandle launch(ServiceSpec service, String devKey, Set<ServiceSpec> withArchive) {
        boolean archived = StartupArchives.of(layout, service).usable();
        if (archived) {
            withArchive.add(service);
        }
        return launch(service, devKey, archived);
    }

    private ProcessHandle launch(ServiceSpec service, String devKey, boolean withArchive) {
        return serviceProcess(service).start(serviceJvmArgs(service),
                StartupArchives.of(layout, service).launchArgs(withArchive), serviceEnv(service, devKey),
                layout.repoRoot(), cpuPriority(service));
    }

    /**
     * The Streams services stand back when the cores are busy ({@link CpuPriority}; the environment's
     * {@value CpuPriority#STREAMS_NICE_VARIABLE}, read at every start), everything else runs as the launcher.
     */
    CpuPriority cpuPriority(ServiceSpec service) {
        return service.streams() ? CpuPriority.streamsFrom(System.getenv()) : CpuPriority.NORMAL;
    }

    /** Waits for readiness; a service that dies while starting with its archive is started once more from its jar. */
    private void awaitHealthy(Map<ServiceSpec, ProcessHandle> handles, Set<ServiceSpec> withArchive, String devKey) {
        long deadline = System.nanoTime() + SERVICE_START.toNanos();
        Map<ServiceSpec, String> pending = new HashMap<>();
        handles.keySet().forEach(s -> pending.put(s, "STARTING"));
        while (!pending.isEmpty()) {
            for (ServiceSpec service : List.copyOf(pending.keySet())) {
                if (!handles.get(service).isAlive() && withArchive.remove(service)) {
                    StartupArchives.of(layout, service).discard();
                    out.printf("  %-18s exited while starting with its start-up archive: archive discarded, starting"
                            + " it from its jar%n", service.name());
                    handles.put(service, launch(service, devKey, false));
                    continue;
                }
                if (!handles.get(service).isAlive()) {
                    throw new IllegalStateException(service.name() + " exited during start-up; last log lines ("
                            + serviceProcess(service).logFile() + "):\n" + serviceProcess(service).logTail(40));
                }
                String status = HealthProbe.readiness(service.port());
                if ("UP".equals(status)) {
                    pending.remove(service);
                    out.printf("  %-18s ready%n", service.name());
                } else {
                    pending.put(service, status);
                }
            }
            if (!pending.isEmpty() && System.nanoTime() > deadline) {
                StringBuilder tails = new StringBuilder();
                pending.forEach((service, status) -> tails.append("\n--- ").append(service.name()).append(" (")
                        .append(status).append("), last log lines:\n")
                        .append(serviceProcess(service).logTail(15)));
                throw new IllegalStateException("not ready within " + SERVICE_START.toSeconds() + " s: "
                        + pending.keySet().stream().map(ServiceSpec::name).toList() + "; see the logs in "
                        + layout.logs() + tails);
            }
            sleep(pending.isEmpty() ? 0 : 500);
        }
    }

    /**
     * The JVM options of a service (start-up archives are made with the same ones), followed by the extra ones of
     * {@link #EXTRA_JVM_OPTIONS}{@code <service>} if this JVM has that system property (benchmarks use it to try a JVM
     * option on one service only; an environment variable such as {@code JAVA_TOOL_OPTIONS} would reach the broker
     * too). Serial GC: seven JVMs share two cores, so no GC needs threads of its own. The heap starts near its working
     * size with a fixed young generation: started at 64 MiB it grew in small steps, and at 20 000 events/s
     * stream-processor and cep-detector spent a tenth of the wall clock in collections, half of cep-detector's in
     * full ones (docs/PERFORMANCE.md#seventh-round-and-the-heap-of-the-local-services-2026-12-05-night).
     */
    List<String> serviceJvmArgs(ServiceSpec service) {
        List<String> args = new ArrayList<>(service.streams() ? STREAMS_HEAP : WEB_HEAP);
        args.addAll(List.of("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-Dstreamfleet.fleet.dir=" + layout.fleetDir()));
        args.addAll(extraJvmArgs(System.getProperty(EXTRA_JVM_OPTIONS + service.name(), "")));
        return List.copyOf(args);
    }

    /** The options of a whitespace-separated list (none for a blank one); package-private for tests. */
    static List<String> extraJvmArgs(String options) {
        String trimmed = options.strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    /** The environment a service runs with; package-private for tests. */
    Map<String, String> serviceEnv(ServiceSpec service, String devKey) {
        Map<String, String> env = new HashMap<>();
        env.put("SERVER_PORT", Integer.toString(service.port()));
        env.put("STREAMFLEET_KAFKA_BOOTSTRAP_SERVERS", layout.bootstrapServers());
        env.put("SPRING_PROFILES_ACTIVE", "local");
        if (service.streams()) {
            env.put("STREAMFLEET_STATE_DIR", layout.stateDir(service.name()).toString());
            // static group member: a restart (same name, same state dir) takes its tasks back at once instead of
            // waiting out the killed process's session (docs/recovery.md); one process per service, so unique
            env.put("STREAMFLEET_STREAMS_INSTANCE_ID", service.name());
        }
        if (service.usesApiKeys()) {
            env.put("STREAMFLEET_SECURITY_DEV_KEY", devKey);
        }
        if (service.name().equals("alert-api")) {
            // the console asks the other services where this layout put them (tests and drills move the ports)
            env.put("STREAMFLEET_ALERTS_CONSOLE_SESSION_ANALYTICS_URL",
                    "http://localhost:" + layout.service("session-analytics").port());
            int i = 0;
            for (ServiceSpec other : layout.services()) {
                if (!other.name().equals("alert-api")) {
                    env.put("STREAMFLEET_ALERTS_CONSOLE_SERVICES_" + i++,
                            other.name() + "=http://localhost:" + other.port());
                }
            }
        }
        return env;
    }

    private void printWhereToLook(String devKey, boolean demo) {
        int gateway = layout.service(GATEWAY).port();
        int alerts = layout.service("alert-api").port();
        out.println();
        out.println("  Console (live alerts):  http://localhost:" + alerts + "/");
        out.println("  Development API key:    " + devKey + "   (also in " + layout.devKeyFile() + ")");
        out.println("  Logs:                   " + layout.logs());
        out.println("  Demo traffic:           " + (demo ? "on" : "off (--no-demo)"));
        out.println();
        out.println("  Post an event:");
        out.println("    curl -s -X POST http://localhost:" + gateway + "/v1/orders \\");
        out.println("      -H 'Authorization: Bearer " + devKey + "' -H 'Content-Type: application/json' \\");
        out.println("      -d '{\"eventId\":\"e-'$RANDOM'\",\"accountId\":\"acc-1\",\"symbol\":\"AAPL\","
                + "\"eventType\":\"CREATED\",\"price\":187.42,\"qty\":100,\"eventTimeMs\":'$(date +%s%3N)'}'");
        out.println("  Follow alerts:");
        out.println("    curl -N -H 'Authorization: Bearer " + devKey + "' http://localhost:" + alerts
                + "/v1/alerts/stream");
        out.println();
    }

    private void printReplayHints(String devKey, boolean freshBroker) {
        int alerts = layout.service("alert-api").port();
        out.println();
        out.println("  Console (live alerts):  http://localhost:" + alerts + "/");
        out.println("  Development API key:    " + devKey + "   (also in " + layout.devKeyFile() + ")");
        out.println("  Logs:                   " + layout.logs());
        out.println("  Ingest gateway:         " + LEFT_OUT);
        out.println("  Demo traffic:           " + LEFT_OUT);
        out.println();
        out.println("  Load a recording (docs/replay.md):");
        out.println("    java -jar benchmarks/target/fleet-bench.jar replay --file REC.ndjson.gz --bootstrap "
                + layout.bootstrapServers());
        if (!freshBroker) {
            out.println("  Note: " + layout.fleetDir() + " holds data of earlier runs; replay needs empty raw topics and"
                    + " fresh Streams state (docs/replay.md).");
        }
        out.println();
    }

    /** The parts the last {@code up} deliberately left out (empty when it started everything, or after down). */
    public Set<String> leftOut() {
        Path file = layout.leftOutFile();
        try {
            if (!Files.exists(file)) {
                return Set.of();
            }
            return Set.copyOf(Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim)
                    .filter(line -> !line.isEmpty()).toList());
        } catch (IOException | UncheckedIOException e) {
            return Set.of();
        }
    }

    /** Records which parts {@code up} leaves out (none: the file is removed), for status after this JVM is gone. */
    void recordLeftOut(Set<String> parts) {
        Path file = layout.leftOutFile();
        try {
            if (parts.isEmpty()) {
                Files.deleteIfExists(file);
            } else {
                Files.createDirectories(file.getParent());
                Files.writeString(file, String.join("\n", parts.stream().sorted().toList()) + "\n",
                        StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * One line per part: running or not, and health. A part that is not running and that the last {@code up} left out
     * on purpose reads {@link #LEFT_OUT} instead of "stopped".
     */
    public Map<String, String> status() {
        Map<String, String> status = new LinkedHashMap<>();
        Set<String> leftOut = leftOut();
        for (ManagedProcess part : parts()) {
            Optional<ProcessHandle> handle = part.running();
            String health;
            if (handle.isEmpty()) {
                health = leftOut.contains(part.name()) ? LEFT_OUT : "stopped";
            } else if (part.name().equals("kafka")) {
                health = Ports.acceptsConnections(layout.kafkaPort()) ? "UP" : "STARTING";
            } else if (part.name().equals(DEMO)) {
                health = "running";
            } else {
                health = HealthProbe.readiness(layout.service(part.name()).port());
            }
            status.put(part.name(), handle.map(h -> "pid " + h.pid() + "  ").orElse("") + health);
        }
        return status;
    }

    /** True when every part except the demo and the parts left out on purpose is running and healthy. */
    public boolean healthy() {
        return healthy(status());
    }

    /** True when every part in a {@link #status()} map except the demo and the parts left out is UP. */
    static boolean healthy(Map<String, String> status) {
        return status.entrySet().stream()
                .filter(e -> !e.getKey().equals(DEMO) && !e.getValue().equals(LEFT_OUT))
                .allMatch(e -> e.getValue().endsWith("UP"));
    }

    /**
     * Stops every part that runs: demo and services in parallel first, the broker last; forgets which parts the last
     * {@code up} left out.
     */
    public void down() {
        List<ManagedProcess> parts = parts();
        ManagedProcess brokerPart = parts.get(0);
        List<ManagedProcess> others = parts.subList(1, parts.size());
        others.forEach(p -> p.running().ifPresent(h -> out.printf("Stopping %s (pid %d)%n", p.name(), h.pid())));
        others.forEach(ManagedProcess::requestStop);
        for (ManagedProcess part : others) {
            if (!part.stop(STOP_TIMEOUT)) {
                out.printf("  %s did not stop within %d s and was killed%n", part.name(), STOP_TIMEOUT.toSeconds());
            }
        }
        brokerPart.running().ifPresent(h -> out.printf("Stopping kafka (pid %d)%n", h.pid()));
        if (!brokerPart.stop(STOP_TIMEOUT)) {
            out.printf("  kafka did not stop within %d s and was killed%n", STOP_TIMEOUT.toSeconds());
        }
        recordLeftOut(Set.of());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
