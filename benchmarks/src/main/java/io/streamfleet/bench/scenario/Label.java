package io.streamfleet.bench.scenario;

import io.streamfleet.contracts.alert.AlertType;

import java.util.List;
import java.util.Map;

/**
 * Ground truth for one injected episode or near-miss.
 *
 * @param labelId         e.g. {@code ep-003}, {@code nm-007}, {@code ed-001}, {@code en-002}
 * @param type            the alert type it concerns
 * @param variant         how it was built (e.g. {@code BOUNDARY}, {@code NEAR_MISS_RATIO})
 * @param mustAlert       true for episodes, false for near-misses
 * @param key             the alert key: {@code accountId|symbol} or {@code userId}; used by nothing else in the run
 * @param expectedAlertId the deterministic alert id the detector must emit (episodes only)
 * @param missedRule      which rule a near-miss misses, and by how much (near-misses only)
 * @param expected        alert fields and their expected values (episodes only)
 * @param eventIds        the events that make up the episode; detection latency runs from the last one ingested
 */
public record Label(String labelId, AlertType type, String variant, boolean mustAlert, String key,
                    String expectedAlertId, String missedRule, Map<String, Object> expected, List<String> eventIds) {

    public Label {
        expected = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(expected));
        eventIds = List.copyOf(eventIds);
    }
}
