package io.streamfleet.bench.cli;

import io.streamfleet.bench.report.BenchReport;
import io.streamfleet.bench.report.Detection;
import io.streamfleet.bench.late.LateAudit;
import io.streamfleet.launcher.Fleet;
import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.ServiceSpec;
import io.streamfleet.launcher.process.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A short fleet-bench run against the real local fleet (broker and five service processes started by the launcher on
 * free ports in a temporary folder): 30 s of order traffic at 300 events/s over loopback, with injected episodes and
 * near-misses, jitter, duplicates and late events. Orders only: engagement sessions need minutes of event time to
 * close, which the full benchmark covers with its compressed clock. Skipped when the service jars are not built.
 * {@code -Dbench.fleet.repo=DIR} runs the jars of another checkout.
 */
class FleetBenchSmokeIT {

    @TempDir
    Path fleetDir;

    @TempDir
    Path reportDir;

    private Fleet fleet;
    private final ByteArrayOutputStream fleetOutput = new ByteArrayOutputStream();

    @AfterEach
    void stopFleet() {
        if (fleet != null) {
            fleet.down();
        }
    }

    @Test
    void shouldReportThroughputAndFindEveryInjectedEpisodeWhenRunAgainstTheLocalFleet() throws Exception {
        Path repo = Path.of(System.getProperty("bench.fleet.repo", "..")).toAbsolutePath().normalize();
        FleetLayout layout = FleetLayout.defaults(repo).withFleetDir(fleetDir)
                .withPorts(Ports.freePort(), Ports.freePort());
        assumeTrue(Files.exists(layout.launcherJar()), layout.launcherJar() + " not built");
        for (ServiceSpec s : layout.services()) {
            assumeTrue(Files.exists(repo.resolve(s.jarPath())), s.jarPath() + " not built");
        }
        fleet = new Fleet(layout, new PrintStream(fleetOutput, true, StandardCharsets.UTF_8));
        assertThat(fleet.preflight()).isEmpty();
        fleet.up(false);

        ByteArrayOutputStream benchOutput = new ByteArrayOutputStream();
        BenchOptions options = BenchOptions.parse(List.of(
                "--gateway", "http://localhost:" + layout.service("ingest-gateway").port(),
                "--alerts", "http://localhost:" + layout.service("alert-api").port(),
                "--bootstrap", layout.bootstrapServers(),
                "--api-key-file", layout.devKeyFile().toString(),
                "--driver", "http-batch", "--batch-size", "50", "--mode", "open",
                "--rate", "300", "--duration", "30s", "--keys", "100",
                "--episodes", "6", "--near-misses", "5", "--engagement-share", "0",
                "--jitter", "500ms", "--duplicates", "0.02", "--late", "0.005",
                "--drain", "40s", "--out", reportDir.toString(), "--no-progress"));
        BenchReport report = FleetBench.execute(options, new PrintStream(benchOutput, true, StandardCharsets.UTF_8));
        String console = benchOutput.toString(StandardCharsets.UTF_8);

        assertThat(report.ingest().eventsPerSecond()).as(console).isPositive();
        assertThat(report.ingest().eventsAccepted()).as(console).isEqualTo(report.ingest().eventsSent());
        assertThat(report.ingest().latency().count()).isPositive();
        Detection bursts = report.detection().get(0);
        assertThat(bursts.type()).isEqualTo("BURST_CREATE_MASS_CANCEL");
        assertThat(bursts.expected()).isEqualTo(6);
        assertThat(bursts.found()).as(console).isEqualTo(6);
        assertThat(bursts.nearMisses()).as(console).isEqualTo(5);
        assertThat(bursts.falsePositives()).as(console).isZero();
        assertThat(bursts.duplicateDeliveries()).as(console).isZero();
        assertThat(bursts.idMismatches() + bursts.fieldMismatches()).as(console).isZero();
        assertThat(bursts.latency().count()).isEqualTo(bursts.found());
        // every event sent late on purpose is diverted exactly once, and no on-time event is (KI-2 would show here)
        LateAudit late = report.late();
        assertThat(late.intended()).as(console).isPositive();
        assertThat(late.problem()).as(console).isEmpty();
        assertThat(late.missing()).as(console).isZero();
        // no event the driver put on the wire within its lateness bound is diverted (KI-2 would show here)
        assertThat(late.onTimeDiverted()).as(console).isZero();
        // a driver at 300 events/s keeps its schedule: every event was timed on the wire, none behind its bound
        assertThat(report.driverBacklog().events()).as(console).isEqualTo(report.ingest().eventsSent());
        assertThat(report.driverBacklog().behindBound()).as(console).isZero();
        // only a resend can leave beyond its bound (a cold gateway on a loaded machine refuses with Retry-After 1 s,
        // and a refused batch may wait for it more than once): without refusals no event is late in any way
        if (report.ingest().retries().refusals() == 0) {
            assertThat(late.unexpected()).as(console).isZero();
            assertThat(report.driverBacklog().lateByClient()).as(console).isZero();
        } else {
            assertThat(report.driverBacklog().lateByClient()).as(console)
                    .isLessThanOrEqualTo(report.ingest().retries().resentEvents());
            assertThat(late.lateByClient()).as(console).isLessThanOrEqualTo(report.driverBacklog().lateByClient());
        }
        assertThat(late.extraCopies()).as(console).isZero();
        // the detector's engine over the run's orders.clean implies exactly the alerts received
        assertThat(report.burstOracle().orders()).as(console).isPositive();
        assertThat(report.burstOracle().expected()).as(console).isEqualTo(6);
        assertThat(report.burstOracle().exact()).as(console + report.burstOracle()).isTrue();
        assertThat(report.lag()).extracting(BenchReport.LagSummary::group).contains("streamfleet-cep-detector");
        assertThat(reportDir.resolve("report.html")).content().contains("<svg").contains("BURST_CREATE_MASS_CANCEL");
        assertThat(reportDir.resolve("report.json")).exists();
        assertThat(reportDir.resolve("ground-truth.json")).content().contains(report.run().get("runId").toString());
    }
}
