package io.streamfleet.gateway.admission;

import java.time.Duration;

/**
 * The admission rule: a publish is refused before anything of it is sent once the gateway would hold it too long.
 * {@code maxHold} is split in two halves: at most half for a read request to wait inside the gateway before it
 * reaches admission (parsing, a busy event loop; not the client's upload), and admission only while the publish queue
 * ahead is younger than the other half. Three signals, all cheap to read:
 * <ul>
 *   <li>how long the read request has waited when it reaches admission: from half of {@code maxHold} on it is refused,
 *       unsent (its events would reach Kafka late whatever happens next);</li>
 *   <li>the age of the oldest admitted publish not yet answered: a new one joins the same producer queue, so it waits
 *       about as long. Refused from {@code maxHold / 2} on, which leaves the other half for the queue to grow while
 *       the admitted publish is in it (the age signal lags by the time it takes to build up);</li>
 *   <li>the events admitted and not yet answered: a burst arriving on an idle gateway shows no age yet, so the events
 *       in flight are capped too. A single batch is always admitted when nothing is in flight, so a batch larger than
 *       the cap is served (slowly) rather than refused forever.</li>
 * </ul>
 *
 * @param maxHold           how long the gateway may hold an admitted publish, admission to Kafka's answer
 * @param maxInFlightEvents most events admitted and not yet answered
 * @param retryAfter        the advice given with a refusal
 */
public record AdmissionLimits(Duration maxHold, int maxInFlightEvents, Duration retryAfter) {

    public AdmissionLimits {
        if (maxHold == null || maxHold.toMillis() < 2) {
            throw new IllegalArgumentException("max-hold must be at least 2ms, was " + maxHold);
        }
        if (maxInFlightEvents < 1) {
            throw new IllegalArgumentException("max-in-flight-events must be >= 1, was " + maxInFlightEvents);
        }
        if (retryAfter == null || retryAfter.isNegative() || retryAfter.isZero()) {
            throw new IllegalArgumentException("overloaded-retry-after must be > 0, was " + retryAfter);
        }
    }

    /** The age (of the oldest unanswered publish, or of the request) from which publishes are refused: half of
     * {@link #maxHold}. */
    public long refuseAtAgeNanos() {
        return maxHold.toNanos() / 2;
    }

    /**
     * Judges one publish of {@code events} events.
     *
     * @param waitedNanos    how long the request has been in the gateway already (0 when unknown)
     * @param oldestAgeNanos age of the oldest admitted publish not yet answered; 0 when none is in flight
     * @param inFlightEvents events admitted and not yet answered
     * @param events         events of the publish to judge; 0 asks whether any publish could be admitted now
     */
    public AdmissionVerdict judge(long waitedNanos, long oldestAgeNanos, long inFlightEvents, int events) {
        if (waitedNanos >= refuseAtAgeNanos()) {
            return AdmissionVerdict.REFUSE_REQUEST_AGE;
        }
        if (oldestAgeNanos >= refuseAtAgeNanos()) {
            return AdmissionVerdict.REFUSE_HOLD_AGE;
        }
        if (inFlightEvents > 0 && inFlightEvents + Math.max(events, 1) > maxInFlightEvents) {
            return AdmissionVerdict.REFUSE_IN_FLIGHT_EVENTS;
        }
        return AdmissionVerdict.ADMIT;
    }
}
