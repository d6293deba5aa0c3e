package io.streamfleet.gateway.admission;

/** What the admission rule said about one publish; the refusals name the signal that refused it. */
public enum AdmissionVerdict {
    ADMIT(null),
    /** The request itself has been in the gateway for half of max-hold before reaching admission. */
    REFUSE_REQUEST_AGE("request_age"),
    /** The oldest unanswered publish is older than half of max-hold: the queue is already too slow. */
    REFUSE_HOLD_AGE("hold_age"),
    /** The publish would take the events in flight above max-in-flight-events. */
    REFUSE_IN_FLIGHT_EVENTS("in_flight_events");

    private final String tag;

    AdmissionVerdict(String tag) {
        this.tag = tag;
    }

    public boolean admitted() {
        return this == ADMIT;
    }

    /** The metric tag of a refusal; null for {@link #ADMIT}. */
    public String tag() {
        return tag;
    }
}
