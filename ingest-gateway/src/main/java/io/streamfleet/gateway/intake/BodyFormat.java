package io.streamfleet.gateway.intake;

/** How a request body holds its events. */
public enum BodyFormat {
    /** One JSON event object, or a JSON array of them. */
    JSON,
    /** Newline-delimited JSON: one event object per line; blank lines are skipped. */
    NDJSON
}
