package io.streamfleet.bench.scenario;

import java.util.List;

/** What a correct fleet must report for a scenario: every label, with the episodes that must alert. */
public record GroundTruth(String runId, long seed, long startMs, List<Label> labels) {

    public GroundTruth {
        labels = List.copyOf(labels);
    }

    public List<Label> mustAlert() {
        return labels.stream().filter(Label::mustAlert).toList();
    }

    public List<Label> mustNotAlert() {
        return labels.stream().filter(l -> !l.mustAlert()).toList();
    }
}
