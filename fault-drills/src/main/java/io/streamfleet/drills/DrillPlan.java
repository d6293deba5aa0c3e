package io.streamfleet.drills;

import java.time.Duration;

/**
 * Sizes of a suite run. {@link #SHORT} is what {@code mvn -B verify} runs: two combined drills with one round of
 * restarts; {@link #FULL} is the documented suite ({@code -Pdrills}): the five drills one by one, longer load and
 * several kills per service.
 *
 * @param rate             background events per second
 * @param duration         traffic per drill
 * @param killsPerService  SIGKILLs per Streams service in the crash drill
 * @param outage           how long the broker stays down, and how long endpoints misbehave
 * @param orderEpisodes    burst episodes per drill (plus as many near-misses)
 * @param engagementEpisodes engagement-drop users per drill in the drills that carry engagement traffic
 */
public record DrillPlan(String name, int rate, Duration duration, int killsPerService, Duration outage,
                        int orderEpisodes, int engagementEpisodes) {

    public static final DrillPlan SHORT = new DrillPlan("short", 200, Duration.ofSeconds(45), 1,
            Duration.ofSeconds(8), 8, 2);
    public static final DrillPlan FULL = new DrillPlan("full", 400, Duration.ofSeconds(180), 3,
            Duration.ofSeconds(20), 12, 3);

    public static DrillPlan named(String name) {
        return "full".equals(name) ? FULL : SHORT;
    }
}
