package io.streamfleet.bench.cli;

import io.streamfleet.bench.scenario.EngagementOrigin;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The steps of a {@link ScaleOutBench} {@code --plan}, and how much of a fleet's engagement clock each takes. Every
 * fleet-bench run uses {@code duration × engagement-speed} of engagement event time, after the time earlier runs left
 * on the fleet (docs/capacity.md); a fresh fleet offers {@link EngagementOrigin#FRESH_FLEET_BUDGET_MS}. A step that
 * finds no room left runs on a new fleet with fresh state.
 *
 * @param steps           in order
 * @param durationMs      traffic of an {@code N@RATE} step
 * @param churnDurationMs traffic of an {@code r@RATE} step
 * @param engagementSpeed event-time ms per wall ms of the runs' engagement clock
 */
record ScalePlan(List<Step> steps, long durationMs, long churnDurationMs, int engagementSpeed) {

    /**
     * One step: {@code N@RATE} runs N instances of each Streams service at RATE events/s; {@code r@RATE} (churn) adds
     * one instance during the step and stops the oldest extra one.
     */
    record Step(String text, boolean churn, int instances, int rate) {
    }

    ScalePlan {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("--plan lists no step");
        }
        for (Step step : steps) {
            long span = (step.churn() ? churnDurationMs : durationMs) * engagementSpeed;
            if (span > EngagementOrigin.FRESH_FLEET_BUDGET_MS) {
                throw new IllegalArgumentException("step " + step.text() + " needs " + span / 3_600_000 + " h of "
                        + "engagement clock (duration x engagement speed " + engagementSpeed + "), more than a fresh "
                        + "fleet offers (" + EngagementOrigin.FRESH_FLEET_BUDGET_MS / 3_600_000 + " h): shorten the "
                        + "duration or lower the engagement speed");
            }
        }
    }

    /** Parses the {@code --plan} items, e.g. {@code 1@1000}, {@code 3@2000}, {@code r@1000}. */
    static ScalePlan parse(List<String> items, long durationMs, long churnDurationMs, int engagementSpeed) {
        List<Step> steps = new ArrayList<>();
        for (String raw : items) {
            String item = raw.trim();
            String[] parts = item.split("@", -1);
            String usage = "step '" + item + "' of --plan: expected N@RATE (N >= 1 instances of each Streams service)"
                    + " or r@RATE (add and remove an instance during the step), RATE >= 1 events/s";
            if (parts.length != 2) {
                throw new IllegalArgumentException(usage);
            }
            int rate = positive(parts[1], usage);
            boolean churn = parts[0].equals("r");
            steps.add(new Step(item, churn, churn ? 0 : positive(parts[0], usage), rate));
        }
        return new ScalePlan(steps, durationMs, churnDurationMs, engagementSpeed);
    }

    private static int positive(String text, String usage) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // the usage says what was expected
        }
        throw new IllegalArgumentException(usage);
    }

    /** Engagement event time the step's run takes from its fleet. */
    long spanMs(Step step) {
        return (step.churn() ? churnDurationMs : durationMs) * engagementSpeed;
    }

    /**
     * Whether the step must run on a new fleet: fleet-bench would refuse it on this one (its engagement stream time,
     * read now, leaves no clock of the step's span that ends before the run). The same rule as the run's own, with the
     * same projection of the reading to the run's start.
     */
    boolean needsFreshFleet(Step step, long nowMs, OptionalLong fleetStreamTimeMs) {
        OptionalLong atStart = fleetStreamTimeMs.isPresent()
                ? OptionalLong.of(fleetStreamTimeMs.getAsLong() + EngagementOrigin.READ_TO_START_MS)
                : fleetStreamTimeMs;
        return !EngagementOrigin.hasRoom(nowMs, spanMs(step), atStart);
    }

    /**
     * The fleet each step is expected to run on (1, 1, ..., 2, ...), projected from the start: each run leaves the
     * fleet's engagement stream time at the end of its clock, and each step takes at least {@code stepWallMs} of wall
     * time. The bench decides on the real reading before each step; this only tells the user what to expect.
     */
    List<Integer> projectedFleets(long startMs, long stepWallMs) {
        List<Integer> fleets = new ArrayList<>();
        int fleet = 1;
        OptionalLong streamTime = OptionalLong.empty();
        long now = startMs;
        for (Step step : steps) {
            if (needsFreshFleet(step, now, streamTime)) {
                fleet++;
                streamTime = OptionalLong.empty();
            }
            OptionalLong atStart = streamTime.isPresent()
                    ? OptionalLong.of(streamTime.getAsLong() + EngagementOrigin.READ_TO_START_MS) : streamTime;
            long origin = EngagementOrigin.choose(now, spanMs(step), atStart);
            streamTime = OptionalLong.of(origin + spanMs(step));
            fleets.add(fleet);
            now += stepWallMs;
        }
        return fleets;
    }
}
