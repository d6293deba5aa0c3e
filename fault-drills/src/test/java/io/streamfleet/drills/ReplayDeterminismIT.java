package io.streamfleet.drills;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Alerts are a function of the raw log: a recording of a live run (events and progress records), replayed into fresh
 * fleets at full speed and at 1× with every Streams service SIGKILLed half-way, yields exactly the live alert set.
 * {@code mvn -B verify} runs it on a small log (200 events/s for 30 s); {@code -Pdrills} at 2 000 events/s for
 * 120 s ({@code -Dreplay.rate}, {@code -Dreplay.seconds} override). Writes {@code target/drills/replay-determinism.md}.
 */
class ReplayDeterminismIT {

    private final Path repo = Path.of(System.getProperty("drills.repo", "..")).toAbsolutePath().normalize();
    private final boolean full = "full".equals(System.getProperty("drills.profile", "short"));

    @Test
    void shouldRaiseTheSameAlertsAsTheLiveRunWhenTheRecordingIsReplayedAtFullSpeedAndAtOneTimesThroughCrashes()
            throws Exception {
        assumeTrue(DrillFleet.missingJars(repo).isEmpty(), "fleet jars not built: " + DrillFleet.missingJars(repo));
        int rate = Integer.getInteger("replay.rate", full ? 2_000 : 200);
        int seconds = Integer.getInteger("replay.seconds", full ? 120 : 30);
        DrillPlan plan = new DrillPlan("replay", rate, Duration.ofSeconds(seconds), 1, Duration.ofSeconds(8),
                Duration.ofSeconds(20), full ? 12 : 6, 2);
        ReplayDrill.Result r = new ReplayDrill(repo, Files.createTempDirectory("replay-drill"), plan, 20261204L,
                System.out).run();
        String md = ReplayDrill.markdown(DrillSuite.header(plan), r);
        ReplayDrill.write(Path.of(System.getProperty("drills.report", "target/drills")), md);
        System.out.println(md);

        assertThat(r.live().problems()).as("the live run's audit").isEmpty();
        assertThat(r.live().alerts().found()).as("the live run raised alerts").isPositive();
        assertThat(r.liveAlerts()).as("both alert types were raised live")
                .hasEntrySatisfying("alerts.anomaly", n -> assertThat(n).isPositive())
                .hasEntrySatisfying("alerts.engagement", n -> assertThat(n).isPositive());
        assertThat(r.replays()).hasSize(2).allSatisfy(p -> assertThat(p.identical())
                .as("%s:%n%s", p.how(), p.comparison()).isTrue());
        assertThat(r.replays().get(1).recoveries()).as("every Streams service was killed and restarted").hasSize(3);
    }
}
