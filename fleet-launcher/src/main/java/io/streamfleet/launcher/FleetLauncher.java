package io.streamfleet.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code ./fleet}: {@code up [--detach] [--no-demo] [--no-gateway]}, {@code status}, {@code down},
 * {@code archives} ({@code build} is the script's own: it runs Maven before this jar exists).
 * Exit code 0 on success, 1 on a failure (with the reason printed to stderr), 2 on a usage error (stderr).
 */
public final class FleetLauncher {

    static final String USAGE = """
            usage: ./fleet <command>
              up [--detach] [--no-demo] [--no-gateway]
                             build what is missing, start broker + services (+ demo traffic);
                             in the foreground unless --detach; Ctrl-C stops everything
                --detach     run in the background
                --no-demo    no demo traffic
                --no-gateway replay mode: every service except ingest-gateway, no demo traffic,
                             so 'fleet-bench replay' can load a recording (docs/replay.md)
              status         health of each part
              down           stop every part started by 'up'
              build          (re)build all jars (mvn -B -q -DskipTests package), then the start-up archives
              archives       make the start-up archives (class data sharing) that are missing or
                             stale, so services start faster; 'build' runs it (docs/recovery.md)
            """;

    /** The options of {@code up}; without the gateway there is no demo traffic (it posts to the gateway). */
    record UpOptions(boolean detach, boolean demo, boolean gateway) {

        static UpOptions parse(List<String> options) {
            for (String option : options) {
                if (!List.of("--detach", "--no-demo", "--no-gateway").contains(option)) {
                    throw new IllegalArgumentException("unknown option '" + option + "' for up");
                }
            }
            boolean gateway = !options.contains("--no-gateway");
            return new UpOptions(options.contains("--detach"), gateway && !options.contains("--no-demo"), gateway);
        }
    }

    private FleetLauncher() {
    }

    public static void main(String[] args) {
        System.exit(run(args, Path.of(System.getProperty("streamfleet.repo", ".")).toAbsolutePath().normalize(),
                System.out, System.err));
    }

    static int run(String[] args, Path repoRoot, PrintStream out, PrintStream err) {
        FleetLayout layout = FleetLayout.defaults(repoRoot);
        if (System.getenv("STREAMFLEET_FLEET_DIR") != null) {
            layout = new FleetLayout(repoRoot, Path.of(System.getenv("STREAMFLEET_FLEET_DIR")), layout.kafkaPort(),
                    layout.controllerPort(), layout.services());
        }
        return run(args, layout, out, err);
    }

    static int run(String[] args, FleetLayout layout, PrintStream out, PrintStream err) {
        List<String> arguments = List.of(args);
        if (arguments.isEmpty()) {
            err.print(USAGE);
            return 2;
        }
        Fleet fleet = new Fleet(layout, out);
        String command = arguments.get(0);
        List<String> options = arguments.subList(1, arguments.size());
        if (List.of("status", "down", "archives").contains(command) && !options.isEmpty()) {
            err.println("fleet: unknown option '" + options.get(0) + "' for " + command + " (only 'up' takes options)");
            err.print(USAGE);
            return 2;
        }
        try {
            return run(fleet, command, options, out, err);
        } catch (RuntimeException e) {
            err.println("fleet: " + command + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static int run(Fleet fleet, String command, List<String> options, PrintStream out, PrintStream err) {
        return switch (command) {
            case "up" -> up(fleet, options, out, err);
            case "status" -> status(fleet, out, err);
            case "down" -> {
                fleet.down();
                out.println("Fleet stopped.");
                yield 0;
            }
            case "archives" -> {
                out.println("Start-up archives (class data sharing, docs/recovery.md):");
                if (fleet.prepareStartupArchives()) {
                    yield 0;
                }
                err.println("fleet: some start-up archives were not made (see above); those services start from"
                        + " their jars");
                yield 1;
            }
            case "build" -> {
                err.println("fleet: 'build' runs Maven and is done by the ./fleet script, not by the launcher jar");
                yield 2;
            }
            case "help", "--help", "-h" -> {
                out.print(USAGE);
                yield 0;
            }
            default -> {
                err.println("fleet: unknown command '" + command + "'");
                err.print(USAGE);
                yield 2;
            }
        };
    }

    private static int up(Fleet fleet, List<String> options, PrintStream out, PrintStream err) {
        UpOptions up;
        try {
            up = UpOptions.parse(options);
        } catch (IllegalArgumentException e) {
            err.println("fleet: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        boolean detach = up.detach();
        List<String> problems = fleet.preflight(up.gateway());
        if (!problems.isEmpty()) {
            err.println("Cannot start the fleet:");
            problems.forEach(p -> err.println("  - " + p));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread stopOnExit = new Thread(() -> {
            out.println();
            out.println("Stopping the fleet...");
            fleet.down();
            stopped.countDown();
        }, "fleet-stop");
        if (!detach) {
            Runtime.getRuntime().addShutdownHook(stopOnExit);
        }
        try {
            fleet.up(up.demo(), up.gateway());
        } catch (RuntimeException e) {
            err.println();
            err.println("Start-up failed: " + e.getMessage());
            if (detach) {
                fleet.down();
            }
            return 1;
        }
        if (detach) {
            out.println("Running in the background. './fleet status' shows health, './fleet down' stops it.");
            return 0;
        }
        out.println("Running in the foreground; press Ctrl-C to stop everything.");
        awaitForever();
        return 0;
    }

    private static int status(Fleet fleet, PrintStream out, PrintStream err) {
        Map<String, String> status = fleet.status();
        status.forEach((part, state) -> out.printf("  %-18s %s%n", part, state));
        if (fleet.healthy()) {
            return 0;
        }
        err.println("fleet: not every part is up ('./fleet up' starts them; logs in " + fleet.layout().logs() + ")");
        return 1;
    }

    private static void awaitForever() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
