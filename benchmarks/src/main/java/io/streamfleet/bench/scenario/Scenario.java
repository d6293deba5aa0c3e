package io.streamfleet.bench.scenario;

import java.util.Iterator;
import java.util.List;

/**
 * A generated scenario: its ground truth and its events in send order. {@link #events()} can be iterated any number
 * of times and yields the same events each time (background traffic is produced while iterating, so a long run does
 * not hold millions of events in memory).
 */
public final class Scenario {

    private final ScenarioSettings settings;
    private final String runId;
    private final GroundTruth truth;
    private final List<BenchEvent> labelled;

    Scenario(ScenarioSettings settings, String runId, GroundTruth truth, List<BenchEvent> labelled) {
        this.settings = settings;
        this.runId = runId;
        this.truth = truth;
        this.labelled = List.copyOf(labelled);
    }

    public ScenarioSettings settings() {
        return settings;
    }

    public String runId() {
        return runId;
    }

    public GroundTruth truth() {
        return truth;
    }

    /** The labelled (episode and near-miss) events, in send order. */
    public List<BenchEvent> labelledEvents() {
        return labelled;
    }

    public Iterable<BenchEvent> events() {
        return this::iterator;
    }

    public Iterator<BenchEvent> iterator() {
        return new EventStream(settings, runId, labelled);
    }
}
