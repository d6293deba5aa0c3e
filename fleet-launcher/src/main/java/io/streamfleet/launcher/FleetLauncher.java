package io.streamfleet.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code ./fleet}: {@code up [--detach] [--no-demo]}, {@code status}, {@code down}. Exit code 0 on
 * success, 1 on a failure (with the reason printed), 2 on a usage error.
 */
public final class FleetLauncher {

    static final String USAGE = """
            usage: ./fleet <command>
              up [--detach] [--no-demo]  build what is missing, start broker + services (+ demo traffic);
                                         in the foreground unless --detach; Ctrl-C stops everything
              status                     health of each part
              down                       stop every part started by 'up'
            """;

    private FleetLauncher() {
    }

    public static void main(String[] args) {
        System.exit(run(args, Path.of(System.getProperty("streamfleet.repo", ".")).toAbsolutePath().normalize(),
                System.out));
    }

    static int run(String[] args, Path repoRoot, PrintStream out) {
        FleetLayout layout = FleetLayout.defaults(repoRoot);
        if (System.getenv("STREAMFLEET_FLEET_DIR") != null) {
            layout = new FleetLayout(repoRoot, Path.of(System.getenv("STREAMFLEET_FLEET_DIR")), layout.kafkaPort(),
                    layout.controllerPort(), layout.services());
        }
        return run(args, layout, out);
    }

    static int run(String[] args, FleetLayout layout, PrintStream out) {
        List<String> arguments = List.of(args);
        if (arguments.isEmpty()) {
            out.print(USAGE);
            return 2;
        }
        Fleet fleet = new Fleet(layout, out);
        String command = arguments.get(0);
        List<String> options = arguments.subList(1, arguments.size());
        return switch (command) {
            case "up" -> up(fleet, options, out);
            case "status" -> status(fleet, out);
            case "down" -> {
                fleet.down();
                out.println("Fleet stopped.");
                yield 0;
            }
            case "help", "--help", "-h" -> {
                out.print(USAGE);
                yield 0;
            }
            default -> {
                out.println("unknown command '" + command + "'");
                out.print(USAGE);
                yield 2;
            }
        };
    }

    private static int up(Fleet fleet, List<String> options, PrintStream out) {
        for (String option : options) {
            if (!option.equals("--detach") && !option.equals("--no-demo")) {
                out.println("unknown option '" + option + "' for up");
                out.print(USAGE);
                return 2;
            }
        }
        boolean detach = options.contains("--detach");
        boolean demo = !options.contains("--no-demo");
        List<String> problems = fleet.preflight();
        if (!problems.isEmpty()) {
            out.println("Cannot start the fleet:");
            problems.forEach(p -> out.println("  - " + p));
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
            fleet.up(demo);
        } catch (RuntimeException e) {
            out.println();
            out.println("Start-up failed: " + e.getMessage());
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

    private static int status(Fleet fleet, PrintStream out) {
        Map<String, String> status = fleet.status();
        status.forEach((part, state) -> out.printf("  %-18s %s%n", part, state));
        return fleet.healthy() ? 0 : 1;
    }

    private static void awaitForever() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
