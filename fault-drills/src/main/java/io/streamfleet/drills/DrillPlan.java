package io.streamfleet.drills;

import java.time.Duration;

/**
 * Sizes of a suite run. {@link #SHORT} is what {@code mvn -B verify} runs: three combined drills with one round of
 * faults; {@link #FULL} is the documented suite ({@code -Pdrills}): six drills one by one at 2 000 events/s, longer
 * traffic and several kills per service.
 *
 * @param rate               background events per second
 * @param duration           traffic per drill
 * @param killsPerService    SIGKILLs per Streams service in the crash drill
 * @param outage             how long the broker stays down, and how long endpoints misbehave
 * @param stall              how long stream-processor stays SIGSTOPped in the stall drill
 * @param orderEpisodes      burst episodes per drill (plus as many near-misses)
 * @param engagementEpisodes engagement-drop users per drill in the drills that carry engagement traffic
 */
public record DrillPlan(String name, int rate, Duration duration, int killsPerService, Duration outage,
                        Duration stall, int orderEpisodes, int engagementEpisodes) {

    public static final DrillPlan SHORT = new DrillPlan("short", 200, Duration.ofSeconds(45), 1,
            Duration.ofSeconds(8), Duration.ofSeconds(20), 8, 2);
    public static final DrillPlan FULL = new DrillPlan("full", 2_000, Duration.ofSeconds(180), 3,
            Duration.ofSeconds(20), Duration.ofSeconds(20), 12, 3);

    public static DrillPlan named(String name) {
        return "full".equals(name) ? FULL : SHORT;
    }

    /** Background order keys: enough that each key stays at a few events per second at the plan's rate. */
    public int orderKeys() {
        return Math.max(200, rate / 2);
    }
}
