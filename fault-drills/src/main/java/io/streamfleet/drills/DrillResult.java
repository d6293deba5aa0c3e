package io.streamfleet.drills;

import java.util.List;
import java.util.Map;

/**
 * What one drill found. {@code problems} lists every failed check in words; an empty list means the fleet kept all
 * of its guarantees through the faults of this drill.
 *
 * @param drill          drill name
 * @param load           the traffic it held (rate, duration, events, episodes)
 * @param faults         faults injected, in order, with their wall-clock offsets
 * @param events         acknowledged-event audit (clean + late topics, read_committed)
 * @param alerts         alert audit against the ground truth (alert topics, read_committed)
 * @param sse            alerts on an SSE stream that was open (and resumed) through the drill
 * @param webhooks       per webhook endpoint: what it received
 * @param recoveries     per fault: time to ready and time to processing again
 * @param gateway        gateway answers by status
 * @param problems       failed checks
 * @param knownIssues    misses with a known cause in a service (see docs/RELIABILITY.md), kept apart from problems
 */
public record DrillResult(String drill, String load, List<String> faults, EventAudit events, AlertAudit alerts,
                          SseAudit sse, List<WebhookAudit> webhooks, List<Recovery> recoveries,
                          Map<String, Long> gateway, List<String> problems, List<String> knownIssues) {

    /**
     * @param acked acknowledged eventIds; lost = in no clean/late topic; duplicated = in more than one record, at
     *              least one of them in a clean topic; lateOnlyDuplicated = twice in a late topic only (KI-1)
     */
    public record EventAudit(int sent, int acked, int unackedAtEnd, long resent, int lost, int duplicated,
                             int unackedButWritten, int lateOnlyDuplicated) {
    }

    /**
     * @param notJudged   episodes left out because their events were acknowledged too late to be on time
     * @param knownMissed expected alerts missing for the known cause KI-1 (counted in missing too)
     */
    public record AlertAudit(int expected, int found, int missing, int duplicated, int unexpected, int notJudged,
                             int knownMissed) {
    }

    public record SseAudit(int expected, int received, int missing, int duplicated, long reconnects) {
    }

    /** @param redelivered deliveries of an alert after its first accepted one (at-least-once) */
    public record WebhookAudit(String endpoint, String behaviour, int expected, int delivered, int missing,
                               long requests, long redelivered, long badSignatures, int deadLettered,
                               long drainedAfterHealMs) {
    }

    /** @param readyMs fault → the part is ready again; processingMs fault → its group committed new progress */
    public record Recovery(String fault, long readyMs, long processingMs) {
    }

    public boolean passed() {
        return problems.isEmpty();
    }
}
