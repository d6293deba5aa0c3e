package io.streamfleet.drills;

import java.util.List;
import java.util.Map;

/**
 * What one drill found. {@code problems} lists every failed check in words; an empty list means the fleet kept all
 * of its guarantees through the faults of this drill. There is no class of excused misses: a missing or doubled
 * event or alert, or an on-time event in a late topic, is a problem.
 *
 * @param drill      drill name
 * @param load       the traffic it held (rate, duration, events, episodes)
 * @param faults     faults injected, in order, with their wall-clock offsets
 * @param events     acknowledged-event audit (clean + late topics, read_committed)
 * @param alerts     alert audit against the ground truth (alert topics, read_committed)
 * @param sse        alerts on an SSE stream that was open (and resumed) through the drill
 * @param webhooks   per webhook endpoint: what it received
 * @param recoveries per fault: time to ready and time to processing again
 * @param gateway    gateway answers by status
 * @param notes      what the drill observed beyond the tables (e.g. episodes posted during a stall), in words
 * @param problems   failed checks
 */
public record DrillResult(String drill, String load, List<String> faults, EventAudit events, AlertAudit alerts,
                          SseAudit sse, List<WebhookAudit> webhooks, List<Recovery> recoveries,
                          Map<String, Long> gateway, List<String> notes, List<String> problems) {

    /**
     * @param acked           acknowledged eventIds
     * @param lost            acknowledged eventIds in no clean topic and not diverted by stream-processor
     * @param duplicated      acknowledged eventIds in more than one record (clean topics + stream-processor's
     *                        diversions)
     * @param divertedAsSent  distinct events of the run in a late topic (any stage) that were sent late on purpose
     *                        or that the gateway acknowledged late (the client could not deliver them in time)
     * @param divertedOnTime  distinct events in a late topic (any stage) that the gateway acknowledged on time and
     *                        the scenario did not send late: each one is a failure
     */
    public record EventAudit(int sent, int acked, int unackedAtEnd, long resent, int lost, int duplicated,
                             int unackedButWritten, int divertedAsSent, int divertedOnTime,
                             int retriedPastDedupRetention) {

        public EventAudit(int sent, int acked, int unackedAtEnd, long resent, int lost, int duplicated,
                          int unackedButWritten, int divertedAsSent, int divertedOnTime) {
            this(sent, acked, unackedAtEnd, resent, lost, duplicated, unackedButWritten, divertedAsSent,
                    divertedOnTime, 0);
        }
    }

    /**
     * @param expected         episodes judged: all of their events acknowledged on time
     * @param notJudged        episodes left out because the gateway acknowledged some of their events too late to be
     *                         on time (refused while the broker or the gateway was away); they may alert, at most once
     * @param notJudgedBursts  of those, burst episodes (orders, 2 s bound; the rest are engagement episodes, whose
     *                         bound on the compressed clock is a few hundred ms of wall time)
     */
    public record AlertAudit(int expected, int found, int missing, int duplicated, int unexpected, int notJudged,
                             int notJudgedBursts) {

        public AlertAudit(int expected, int found, int missing, int duplicated, int unexpected, int notJudged) {
            this(expected, found, missing, duplicated, unexpected, notJudged, 0);
        }

        AlertAudit withNotJudgedBursts(int bursts) {
            return new AlertAudit(expected, found, missing, duplicated, unexpected, notJudged, bursts);
        }
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
