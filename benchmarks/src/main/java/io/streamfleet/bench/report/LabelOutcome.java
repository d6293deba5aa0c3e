package io.streamfleet.bench.report;

import java.util.List;

/**
 * What happened to one labelled episode or near-miss.
 *
 * @param alerts          distinct alert ids received on its key
 * @param deliveries      SSE deliveries on its key
 * @param idMatches       whether the (first) alert id is the expected deterministic id (episodes)
 * @param fieldMismatches alert fields that differ from the ground truth, as {@code field: expected vs actual}
 * @param latencyMs       SSE arrival − acknowledgement of the last of its events, null if not measurable
 * @param notAccepted     of its events, those the gateway did not acknowledge (refused under overload, failed)
 * @param divertedOnTime  of its events sent on time, those a stage diverted to a late topic
 * @param acceptedOnRetry of its events, those the gateway accepted only on a resend (after refusing them with a
 *                        delay): accepted, at the time of that resend
 * @param keyIncomplete   whether any event on its key, its own or another (an engagement user's earlier sessions,
 *                        which make the baseline, say), was not accepted in the end or was diverted as late
 */
public record LabelOutcome(String labelId, String type, String variant, boolean mustAlert, String key,
                           int alerts, int deliveries, boolean idMatches, List<String> fieldMismatches,
                           Long latencyMs, String missedRule, int notAccepted, int divertedOnTime,
                           int acceptedOnRetry, boolean keyIncomplete) {

    public LabelOutcome {
        fieldMismatches = List.copyOf(fieldMismatches);
    }

    /**
     * Whether the pipeline saw every event of the label as the scenario meant it. When not, the ground truth says
     * nothing about what the accepted events alone should give, so the label is counted apart instead of scored.
     */
    public boolean inputComplete() {
        return notAccepted == 0 && divertedOnTime == 0 && !keyIncomplete;
    }

    public boolean correct() {
        return mustAlert ? alerts == 1 && deliveries == 1 && idMatches && fieldMismatches.isEmpty() : alerts == 0;
    }
}
