package io.streamfleet.drills;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The whole suite from the command line, against a fleet of its own (free ports, temporary folder), e.g. from the
 * repository root: {@code mvn -B -o -q -pl fault-drills exec:java -Dexec.mainClass=io.streamfleet.drills.DrillSuite
 * -Dexec.args="full target/drills"}. The usual way is {@code mvn -B -o -pl fault-drills verify -Pdrills}, which runs
 * the same drills as a test. {@code -Ddrills.repo=DIR} picks the checkout whose jars run.
 */
public final class DrillSuite {

    private DrillSuite() {
    }

    public static void main(String[] args) throws Exception {
        DrillPlan plan = DrillPlan.named(args.length > 0 ? args[0] : "full");
        Path report = Path.of(args.length > 1 ? args[1] : "target/drills");
        String here = Files.isDirectory(Path.of("fault-drills")) ? "." : "..";
        Path repo = Path.of(System.getProperty("drills.repo", here)).toAbsolutePath().normalize();
        List<String> missing = DrillFleet.missingJars(repo);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("build the fleet first (mvn -B -DskipTests package): missing " + missing);
        }
        List<DrillResult> results = run(repo, Files.createTempDirectory("fault-drills"), plan, 20261202L);
        DrillReport.write(report, header(plan), results);
        System.out.println(DrillReport.markdown(header(plan), results));
        System.exit(results.stream().allMatch(DrillResult::passed) ? 0 : 1);
    }

    static String header(DrillPlan plan) {
        // the machine's own load (the fleet included) is measured, not assumed: read it before judging recovery times
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return "Plan `" + plan.name() + "`, run " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors()
                + " cores, 1-minute load average " + (load < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", load))
                + " when the report was written (the fleet's own processes included).";
    }

    /** Brings a fleet up, runs the plan's drills in order, always takes the fleet down. */
    public static List<DrillResult> run(Path repo, Path work, DrillPlan plan, long seed) throws Exception {
        DrillFleet fleet = DrillFleet.prepare(repo, work, System.out, DrillReport.serviceArgs());
        List<DrillResult> results = new ArrayList<>();
        try {
            Drills drills = new Drills(fleet, plan, seed, System.out);
            if (plan == DrillPlan.SHORT) {
                fleet.up(List.of("stream-processor"));
                results.add(drills.brokerAndEndpoints());
                results.add(drills.stall(false));
                results.add(drills.crashEverything());
            } else {
                fleet.up();
                results.add(drills.endpointOutage());
                results.add(drills.alertApiCrash());
                results.add(drills.streamsCrash());
                results.add(drills.brokerRestart());
                results.add(drills.stall(true));
                results.add(drills.rebalance());
                results.add(drills.recovery());
            }
        } finally {
            fleet.down();
        }
        return results;
    }
}
