package io.streamfleet.launcher;

import io.streamfleet.launcher.broker.TopicSetup;
import io.streamfleet.launcher.process.HealthProbe;
import io.streamfleet.launcher.process.ManagedProcess;
import io.streamfleet.launcher.process.Ports;
import io.streamfleet.launcher.startup.StartupArchive;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures how long each service takes from process start to readiness UP, started as the launcher starts it, from
 * its fat jar ({@code jar}) and with its start-up archive ({@code archive}, made by {@code ./fleet archives}). Runs
 * its own broker on free ports in a temporary folder, so it can run next to a developer's fleet. The variants take
 * turns (the order rotates each round); round 1 is the first start of each variant, with the variant's files dropped
 * from the page cache first when {@code -Dbench.evict=true} (needs python3, for {@code posix_fadvise}). Each run is
 * stopped gracefully 4 s after it is ready. docs/recovery.md, "Start-up time", has figures and the command.
 *
 * <p>Arguments: {@code [rounds (6)] [variants (jar,archive)]}; {@code -Dbench.repo} (default {@code .}) and
 * {@code -Dbench.services} (default all) choose the checkout and the services.
 */
public final class StartupTimeBench {

    private static final Pattern STARTED = Pattern.compile("Started \\S+ in [0-9.]+ seconds \\(process running for "
            + "([0-9.]+)\\)");
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3})");

    private final Fleet fleet;
    private final FleetLayout layout;
    private final Path work;
    private final List<Run> runs = new ArrayList<>();

    record Run(int round, String service, String variant, long readyMs, long cpuMs, double startedS, double joinWaitS,
               long stopMs, String load) {
    }

    private StartupTimeBench(Path repo, Path work) {
        this.work = work;
        this.layout = FleetLayout.defaults(repo).withFleetDir(work.resolve("fleet"))
                .withPorts(Ports.freePort(), Ports.freePort());
        this.fleet = new Fleet(layout, new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        List<String> variants = List.of((args.length > 1 ? args[1] : "jar,archive").split(","));
        Path repo = Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath().normalize();
        StartupTimeBench bench = new StartupTimeBench(repo, Files.createTempDirectory("startup-time-bench"));
        List<String> only = List.of(System.getProperty("bench.services", "").split(","));
        List<ServiceSpec> services = bench.layout.services().stream()
                .filter(s -> only.equals(List.of("")) || only.contains(s.name())).toList();
        bench.run(services, variants, rounds);
    }

    private void run(List<ServiceSpec> services, List<String> variants, int rounds) throws Exception {
        System.out.printf("%s, %d cores, java %s, load %s%n", LocalDateTime.now(), Runtime.getRuntime()
                .availableProcessors(), System.getProperty("java.vm.version"), load());
        try {
            fleet.startBroker();
            TopicSetup.ensureTopics(layout.bootstrapServers());
            for (ServiceSpec service : services) { // internal topics and the consumer group exist from here on
                start(service, "jar", 0);
            }
            System.out.println("round,service,variant,ready_ms,cpu_ms_at_ready,started_s,join_wait_s,stop_ms,load");
            for (int round = 1; round <= rounds; round++) {
                for (ServiceSpec service : services) {
                    List<String> order = new ArrayList<>(variants);
                    Collections.rotate(order, round);
                    for (String variant : order) {
                        Run run = start(service, variant, round);
                        runs.add(run);
                        System.out.printf("%d,%s,%s,%d,%d,%.2f,%.1f,%d,%s%n", run.round(), run.service(),
                                run.variant(), run.readyMs(), run.cpuMs(), run.startedS(), run.joinWaitS(),
                                run.stopMs(), run.load());
                    }
                }
            }
        } finally {
            fleet.down();
        }
        StartupTimeSummary.print(runs, variants, System.out);
    }

    private Run start(ServiceSpec spec, String variant, int round) throws Exception {
        ServiceSpec service = spec.withPort(Ports.freePort());
        StartupArchive archive = StartupArchives.of(layout, service);
        if (variant.equals("archive") && !archive.usable()) {
            throw new IllegalStateException("no usable start-up archive for " + service.name()
                    + ": run './fleet archives' first");
        }
        if (round == 1 && Boolean.getBoolean("bench.evict")) {
            evict(variant.equals("archive") ? archive.dir() : archive.jar());
        }
        ManagedProcess process = new ManagedProcess(service.name(),
                work.resolve("logs/" + round + "-" + variant), work.resolve("pids"));
        String load = load();
        long t0 = System.nanoTime();
        ProcessHandle handle = process.start(fleet.serviceJvmArgs(service),
                archive.launchArgs(variant.equals("archive")), fleet.serviceEnv(service, "sf_dev_bench"),
                layout.repoRoot());
        long readyMs = -1;
        long cpuMs = -1;
        while (handle.isAlive() && System.nanoTime() - t0 < Duration.ofSeconds(180).toNanos()) {
            if ("UP".equals(HealthProbe.readiness(service.port()))) {
                readyMs = (System.nanoTime() - t0) / 1_000_000;
                cpuMs = handle.info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
                break;
            }
            Thread.sleep(100);
        }
        Thread.sleep(4000);
        long s0 = System.nanoTime();
        process.stop(Duration.ofSeconds(40));
        long stopMs = (System.nanoTime() - s0) / 1_000_000;
        List<String> log = Files.readAllLines(process.logFile(), StandardCharsets.ISO_8859_1);
        return new Run(round, service.name(), variant, readyMs, cpuMs, startedSeconds(log), joinWait(log), stopMs,
                load);
    }

    /** Drops the files from the page cache, so the start reads them from disk as after a reboot. */
    private static void evict(Path path) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", "-c", "import os, sys\n"
                + "for f in sys.argv[1:]:\n"
                + "    fd = os.open(f, os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)"));
        try (var files = Files.walk(path)) {
            files.filter(Files::isRegularFile).forEach(f -> command.add(f.toString()));
        }
        new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    private static double startedSeconds(List<String> log) {
        for (String line : log) {
            Matcher m = STARTED.matcher(line);
            if (m.find()) {
                return Double.parseDouble(m.group(1));
            }
        }
        return Double.NaN;
    }

    /** Seconds the stream thread's consumer waited in JoinGroup (0 for services that are no group members). */
    private static double joinWait(List<String> log) {
        LocalDateTime asked = null;
        for (String line : log) {
            Matcher time = LOG_TIME.matcher(line);
            if (!time.find()) {
                continue;
            }
            if (asked == null && line.contains("StreamThread") && line.contains("(Re-)joining group")) {
                asked = LocalDateTime.parse(time.group(1));
            } else if (asked != null && line.contains("Successfully joined group")) {
                return Duration.between(asked, LocalDateTime.parse(time.group(1))).toMillis() / 1000.0;
            }
        }
        return 0;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    /** For the summary: runs keyed by service and variant. */
    static Map<String, List<Run>> byServiceAndVariant(List<Run> runs) {
        Map<String, List<Run>> grouped = new HashMap<>();
        runs.forEach(r -> grouped.computeIfAbsent(r.service() + "/" + r.variant(), k -> new ArrayList<>()).add(r));
        return grouped;
    }
}
