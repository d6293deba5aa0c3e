package io.streamfleet.bench.report;

import java.util.List;

/**
 * Detection quality and latency against the ground truth.
 *
 * @param type              alert type, or {@code ALL}
 * @param expected          episodes that must alert
 * @param found             of those, alerted (true positives)
 * @param missed            labels of episodes without an alert
 * @param nearMisses        near-misses that must not alert
 * @param nearMissesFlagged near-misses that did alert (false positives)
 * @param otherFalseAlerts  alerts on background keys, or second distinct alerts on an episode key (false positives)
 * @param precision         TP / (TP + FP), null when nothing alerted
 * @param recall            TP / expected, null when nothing was expected
 * @param duplicateDeliveries SSE deliveries of an alert id already delivered (must be 0)
 * @param idMismatches      found episodes whose alert id differs from the deterministic id expected
 * @param fieldMismatches   found episodes with an alert field different from the ground truth
 * @param latency           episode detection latency: SSE arrival − acknowledgement of the episode's last event
 * @param inputIncomplete   episodes and near-misses left out of every figure above because some of their events
 *                          were not accepted by the gateway or were diverted as late (see {@link LabelOutcome#inputComplete()})
 * @param incompleteAlerted of those, the ones with an alert on their key
 * @param incompleteKeyAlerts alerts on unlabelled keys some of whose events were not accepted or were diverted as
 *                          late: the ground truth cannot judge them (a drop in a user's accepted events is a real
 *                          drop for the fleet), so they are counted here and not as false alerts
 */
public record Detection(String type, int expected, int found, List<String> missed, int nearMisses,
                        int nearMissesFlagged, int otherFalseAlerts, Double precision, Double recall,
                        int duplicateDeliveries, int idMismatches, int fieldMismatches, Percentiles latency,
                        int inputIncomplete, int incompleteAlerted, int incompleteKeyAlerts) {

    public Detection {
        missed = List.copyOf(missed);
    }

    public int falsePositives() {
        return nearMissesFlagged + otherFalseAlerts;
    }
}
