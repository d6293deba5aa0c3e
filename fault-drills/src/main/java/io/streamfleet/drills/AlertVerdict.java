package io.streamfleet.drills;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alert checks of a drill against the ground truth: every judged episode's alert exactly once, whatever happened
 * to the fleet; an episode that was not judged at most once; no alert the ground truth does not expect. Pure, so the
 * rules are tested without a fleet.
 *
 * @param audit    the counts for the report
 * @param problems failed checks, in words, naming the episodes
 */
record AlertVerdict(DrillResult.AlertAudit audit, List<String> problems) {

    /**
     * @param judged    expected alertId → the episode in words (label, type, key), for episodes acknowledged on time
     * @param notJudged expected alertIds of episodes the gateway acknowledged too late to be on time
     * @param alerts    alertId → committed records in the alert topics, for alerts of the run's keys
     */
    static AlertVerdict judge(Map<String, String> judged, Set<String> notJudged, Map<String, Integer> alerts) {
        return judge(judged, notJudged, alerts, Set.of(), Map.of());
    }

    /**
     * As above, and the keys of episodes and near-misses that were not judged: one some of whose events the gateway
     * acknowledged late (refused while the broker or gateway was away, retried later, maybe diverted late) is not the
     * sequence the ground truth describes. Removing an event can complete a pattern a near-miss was built to miss, and
     * it can move an episode's session or window bounds, so that its alert carries another id than the expected one.
     * Such a key may carry one alert in all (the expected id's or another), but not two.
     *
     * @param mayAlertKeys keys of episodes and near-misses that were not judged
     * @param alertKeys    alertId → its record key
     */
    static AlertVerdict judge(Map<String, String> judged, Set<String> notJudged, Map<String, Integer> alerts,
                              Set<String> mayAlertKeys, Map<String, String> alertKeys) {
        List<String> missing = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        for (Map.Entry<String, String> e : judged.entrySet()) {
            int n = alerts.getOrDefault(e.getKey(), 0);
            if (n == 0) {
                missing.add(e.getValue());
            } else if (n > 1) {
                duplicated.add(e.getValue() + " ×" + n);
            }
        }
        notJudged.stream().filter(id -> alerts.getOrDefault(id, 0) > 1)
                .forEach(id -> duplicated.add(id + " (not judged) ×" + alerts.get(id)));
        Map<String, Integer> perExcusedKey = new java.util.HashMap<>();
        // a not-judged episode's own alert counts on its key: another id beside it would be a second alert
        notJudged.stream().filter(alerts::containsKey).forEach(id -> {
            String key = alertKeys.get(id);
            if (key != null && mayAlertKeys.contains(key)) {
                perExcusedKey.merge(key, alerts.get(id), Integer::sum);
            }
        });
        List<String> unexpected = new ArrayList<>();
        for (String id : alerts.keySet().stream().sorted().toList()) {
            if (judged.containsKey(id) || notJudged.contains(id)) {
                continue;
            }
            String key = alertKeys.get(id);
            if (key != null && mayAlertKeys.contains(key)) {
                if (perExcusedKey.merge(key, alerts.get(id), Integer::sum) > 1) {
                    duplicated.add(id + " (episode or near-miss not judged, key " + key + ", another alert on it)");
                }
            } else {
                // the key says whose alert it is (the id is a hash): a background key, a near-miss, an episode
                unexpected.add(key == null ? id : id + " (key " + key + ")");
            }
        }
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " expected alerts missing from the alert topics: " + missing);
        }
        if (!duplicated.isEmpty()) {
            problems.add(duplicated.size() + " alerts are in the alert topics more than once: " + duplicated);
        }
        if (!unexpected.isEmpty()) {
            problems.add(unexpected.size() + " alerts that the ground truth does not expect: "
                    + unexpected.stream().limit(5).toList());
        }
        DrillResult.AlertAudit audit = new DrillResult.AlertAudit(judged.size(), judged.size() - missing.size(),
                missing.size(), duplicated.size(), unexpected.size(), notJudged.size());
        return new AlertVerdict(audit, List.copyOf(problems));
    }
}
