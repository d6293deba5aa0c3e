package io.streamfleet.alerts.console;

import io.streamfleet.alerts.alert.FeedAlert;
import io.streamfleet.alerts.evidence.EvidenceIndex;
import io.streamfleet.alerts.history.HistoryController;
import io.streamfleet.alerts.history.index.HistoryIndex;
import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.evidence.AlertEvidence;
import io.streamfleet.contracts.json.ContractMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.util.NoSuchElementException;

/**
 * One alert and what explains it, for the console's detail view: a burst alert's matched orders (from
 * {@code alerts.evidence}), an engagement drop's user baseline (asked from session-analytics).
 */
@RestController
public class AlertDetailController {

    private static final int MAX_ID = 128;
    private final HistoryIndex history;
    private final EvidenceIndex evidence;
    private final SessionBaselines baselines;

    public AlertDetailController(HistoryIndex history, EvidenceIndex evidence, SessionBaselines baselines) {
        this.history = history;
        this.evidence = evidence;
        this.baselines = baselines;
    }

    @GetMapping("/v1/alerts/{alertId}")
    public HistoryController.Item alert(@PathVariable String alertId) {
        FeedAlert alert = find(alertId);
        return new HistoryController.Item(ContractMapper.shared().readTree(alert.json()), alert.topic(),
                alert.partition(), alert.offset());
    }

    @GetMapping("/v1/alerts/{alertId}/evidence")
    public AlertEvidence evidence(@PathVariable String alertId) {
        check(alertId);
        return evidence.get(alertId).orElseThrow(() -> new NoSuchElementException("alert " + alertId
                + ": no evidence kept (not a burst alert, older than the latest kept, or unknown)"));
    }

    @GetMapping("/v1/alerts/{alertId}/baseline")
    public Mono<JsonNode> baseline(@PathVariable String alertId) {
        FeedAlert alert = find(alertId);
        if (!(alert.alert() instanceof EngagementAlert drop)) {
            throw new NoSuchElementException("alert " + alertId + " is not an engagement drop: it has no baseline");
        }
        return baselines.of(drop.userId());
    }

    private FeedAlert find(String alertId) {
        check(alertId);
        return history.get(alertId).orElseThrow(() -> new NoSuchElementException(
                "alert " + alertId + ": unknown (or older than the history's retention)"));
    }

    private static void check(String alertId) {
        if (alertId.isBlank() || alertId.length() > MAX_ID) {
            throw new IllegalArgumentException("alertId: must be 1.." + MAX_ID + " characters");
        }
    }
}
