package io.streamfleet.gateway.intake;

import java.util.List;

/**
 * The HTTP status of a request from its per-event results: 202 when every event was accepted, 207 when some were,
 * 503 when none was but some could be retried, 400 when every event was invalid.
 */
public enum BatchVerdict {
    ALL_ACCEPTED(202),
    MIXED(207),
    NONE_AVAILABLE(503),
    ALL_REJECTED(400);

    private final int status;

    BatchVerdict(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static BatchVerdict of(List<ItemResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("a batch has at least one event");
        }
        long accepted = results.stream().filter(r -> r.status() == ItemStatus.ACCEPTED).count();
        if (accepted == results.size()) {
            return ALL_ACCEPTED;
        }
        if (accepted > 0) {
            return MIXED;
        }
        boolean anyUnavailable = results.stream().anyMatch(r -> r.status() == ItemStatus.UNAVAILABLE);
        return anyUnavailable ? NONE_AVAILABLE : ALL_REJECTED;
    }
}
