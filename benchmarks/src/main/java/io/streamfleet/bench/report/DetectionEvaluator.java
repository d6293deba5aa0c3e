package io.streamfleet.bench.report;

import io.streamfleet.bench.scenario.GroundTruth;
import io.streamfleet.bench.scenario.Label;
import io.streamfleet.bench.sse.ReceivedAlert;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Scores the alerts received against the ground truth. Only alerts on this run's keys count (every key of a
 * scenario carries its run id); alerts from earlier runs on the same fleet are ignored. A label some of whose events
 * the gateway did not accept (an overloaded gateway refuses, and the driver gave the event up after its resends) or a
 * stage diverted as late is not scored against the ground truth, which assumes every event arrived as sent; it is
 * counted apart, with whether it alerted. An event the gateway accepted on a resend is accepted, at the time of that
 * resend: it counts in the label's latency from then, and if it came too late for its window, the stage diverted it
 * and the label is left out as diverted. So is a label whose key had any other event not accepted or diverted (an
 * engagement drop is judged against the user's earlier sessions). Alerts on unlabelled keys are false alerts unless such a key had events not
 * accepted or diverted: then the fleet saw different input than the ground truth assumes, and the alert is counted
 * apart ({@link Detection#incompleteKeyAlerts()}) instead of as false.
 */
public final class DetectionEvaluator {

    /** Outcomes per label and the summaries per alert type and overall. */
    public record Result(List<LabelOutcome> outcomes, List<Detection> summaries, int foreignAlerts) {
    }

    private DetectionEvaluator() {
    }

    /**
     * @param ackMs          acknowledgement time of each labelled event the gateway accepted
     * @param divertedOnTime ids of events sent on time that a stage diverted to a late topic
     */
    public static Result evaluate(GroundTruth truth, List<ReceivedAlert> received, Map<String, Long> ackMs,
                                  Set<String> divertedOnTime) {
        return evaluate(truth, received, ackMs, divertedOnTime, Set.of());
    }

    /**
     * @param ackMs           acknowledgement time of each labelled event the gateway accepted, on a resend too
     * @param divertedOnTime  ids of events sent on time that a stage diverted to a late topic
     * @param acceptedOnRetry ids of labelled events accepted only on a resend (also in {@code ackMs})
     */
    public static Result evaluate(GroundTruth truth, List<ReceivedAlert> received, Map<String, Long> ackMs,
                                  Set<String> divertedOnTime, Set<String> acceptedOnRetry) {
        return evaluate(truth, received, ackMs, divertedOnTime, acceptedOnRetry, Set.of());
    }

    /**
     * @param incompleteKeys keys with at least one event the gateway did not accept in the end or a stage diverted
     *                       although it was sent on time
     */
    public static Result evaluate(GroundTruth truth, List<ReceivedAlert> received, Map<String, Long> ackMs,
                                  Set<String> divertedOnTime, Set<String> acceptedOnRetry,
                                  Set<String> incompleteKeys) {
        Map<String, List<ReceivedAlert>> byKey = new LinkedHashMap<>();
        int foreign = 0;
        for (ReceivedAlert alert : received) {
            if (alert.key().contains(truth.runId())) {
                byKey.computeIfAbsent(alert.key(), k -> new ArrayList<>()).add(alert);
            } else {
                foreign++;
            }
        }
        List<LabelOutcome> outcomes = new ArrayList<>();
        Set<String> labelledKeys = new LinkedHashSet<>();
        for (Label label : truth.labels()) {
            labelledKeys.add(label.key());
            outcomes.add(outcome(label, byKey.getOrDefault(label.key(), List.of()), ackMs, divertedOnTime,
                    acceptedOnRetry, incompleteKeys));
        }
        Map<String, Integer> backgroundAlerts = new LinkedHashMap<>();
        Map<String, Integer> backgroundDuplicates = new LinkedHashMap<>();
        Map<String, Integer> incompleteKeyAlerts = new LinkedHashMap<>();
        byKey.forEach((key, alerts) -> {
            if (!labelledKeys.contains(key)) {
                String type = alerts.get(0).type();
                int distinct = (int) alerts.stream().map(ReceivedAlert::alertId).distinct().count();
                (incompleteKeys.contains(key) ? incompleteKeyAlerts : backgroundAlerts).merge(type, distinct,
                        Integer::sum);
                backgroundDuplicates.merge(type, alerts.size() - distinct, Integer::sum);
            }
        });
        List<Detection> summaries = new ArrayList<>();
        for (String type : List.of("BURST_CREATE_MASS_CANCEL", "ENGAGEMENT_DROP")) {
            summaries.add(summarize(type, outcomes.stream().filter(o -> o.type().equals(type)).toList(),
                    backgroundAlerts.getOrDefault(type, 0), backgroundDuplicates.getOrDefault(type, 0),
                    incompleteKeyAlerts.getOrDefault(type, 0)));
        }
        summaries.add(summarize("ALL", outcomes, sum(backgroundAlerts), sum(backgroundDuplicates),
                sum(incompleteKeyAlerts)));
        return new Result(List.copyOf(outcomes), List.copyOf(summaries), foreign);
    }

    private static LabelOutcome outcome(Label label, List<ReceivedAlert> alerts, Map<String, Long> ackMs,
                                        Set<String> divertedOnTime, Set<String> acceptedOnRetry,
                                        Set<String> incompleteKeys) {
        int distinct = (int) alerts.stream().map(ReceivedAlert::alertId).distinct().count();
        boolean idMatches = false;
        List<String> mismatches = new ArrayList<>();
        Long latency = null;
        if (!alerts.isEmpty() && label.mustAlert()) {
            ReceivedAlert first = alerts.get(0);
            idMatches = Objects.equals(first.alertId(), label.expectedAlertId());
            label.expected().forEach((field, value) -> {
                JsonNode actual = first.body().path(field);
                if (!sameValue(value, actual)) {
                    mismatches.add(field + ": expected " + value + " but was " + actual);
                }
            });
            long lastAck = 0;
            boolean allAcked = true;
            for (String id : label.eventIds()) {
                Long ack = ackMs.get(id);
                if (ack == null) {
                    allAcked = false;
                } else {
                    lastAck = Math.max(lastAck, ack);
                }
            }
            latency = allAcked ? first.arrivalMs() - lastAck : null;
        }
        int notAccepted = (int) label.eventIds().stream().filter(id -> !ackMs.containsKey(id)).count();
        int diverted = (int) label.eventIds().stream().filter(divertedOnTime::contains).count();
        int retried = (int) label.eventIds().stream().filter(id -> ackMs.containsKey(id) && acceptedOnRetry.contains(id))
                .count();
        return new LabelOutcome(label.labelId(), label.type().name(), label.variant(), label.mustAlert(), label.key(),
                distinct, alerts.size(), idMatches, mismatches, latency, label.missedRule(), notAccepted, diverted,
                retried, incompleteKeys.contains(label.key()));
    }

    static boolean sameValue(Object expected, JsonNode actual) {
        if (expected instanceof Number n) {
            return actual.isNumber() && Math.abs(actual.asDouble() - n.doubleValue()) < 1e-9;
        }
        if (expected instanceof List<?> list) {
            if (!actual.isArray() || actual.size() != list.size()) {
                return false;
            }
            for (int i = 0; i < list.size(); i++) {
                if (!sameValue(list.get(i), actual.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return actual.isString() && actual.asString().equals(String.valueOf(expected));
    }

    private static int sum(Map<String, Integer> perType) {
        return perType.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static Detection summarize(String type, List<LabelOutcome> outcomes, int backgroundAlerts,
                                       int backgroundDuplicates, int incompleteKeyAlerts) {
        int expected = 0;
        int found = 0;
        int nearMisses = 0;
        int flagged = 0;
        int extra = backgroundAlerts;
        int duplicates = backgroundDuplicates;
        int idMismatches = 0;
        int fieldMismatches = 0;
        List<String> missed = new ArrayList<>();
        int incomplete = 0;
        int incompleteAlerted = 0;
        Histogram latency = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
        for (LabelOutcome o : outcomes) {
            duplicates += o.deliveries() - o.alerts();
            if (!o.inputComplete()) {
                incomplete++;
                incompleteAlerted += o.alerts() > 0 ? 1 : 0;
            } else if (o.mustAlert()) {
                expected++;
                if (o.alerts() == 0) {
                    missed.add(o.labelId());
                    continue;
                }
                found++;
                extra += o.alerts() - 1;
                idMismatches += o.idMatches() ? 0 : 1;
                fieldMismatches += o.fieldMismatches().isEmpty() ? 0 : 1;
                if (o.latencyMs() != null) {
                    latency.recordValue(Math.min(latency.getHighestTrackableValue(),
                            Math.max(0, TimeUnit.MILLISECONDS.toMicros(o.latencyMs()))));
                }
            } else {
                nearMisses++;
                flagged += o.alerts() > 0 ? 1 : 0;
            }
        }
        int falsePositives = flagged + extra;
        Double precision = found + falsePositives == 0 ? null : (double) found / (found + falsePositives);
        Double recall = expected == 0 ? null : (double) found / expected;
        return new Detection(type, expected, found, missed, nearMisses, flagged, extra, precision, recall,
                duplicates, idMismatches, fieldMismatches, Percentiles.of(latency), incomplete, incompleteAlerted,
                incompleteKeyAlerts);
    }
}
