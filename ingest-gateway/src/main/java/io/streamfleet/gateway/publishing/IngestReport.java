package io.streamfleet.gateway.publishing;

import io.streamfleet.gateway.intake.BatchVerdict;
import io.streamfleet.gateway.intake.ItemResult;
import io.streamfleet.gateway.intake.Refusal;

import java.time.Duration;
import java.util.List;

/**
 * The gateway's answer to one request: either a refusal of the whole request, or per-event results with the verdict
 * that sets the HTTP status.
 *
 * @param retryAfter when some events may be retried, how long to wait; else null
 */
public record IngestReport(Refusal refusal, String detail, List<ItemResult> results, BatchVerdict verdict,
                           Duration retryAfter) {

    public IngestReport {
        results = results == null ? List.of() : List.copyOf(results);
    }

    public static IngestReport refused(Refusal refusal, String detail) {
        return new IngestReport(refusal, detail, List.of(), null, null);
    }

    /** A whole request refused with advice on when to send it again. */
    public static IngestReport refused(Refusal refusal, String detail, Duration retryAfter) {
        return new IngestReport(refusal, detail, List.of(), null, retryAfter);
    }

    public boolean isRefused() {
        return refusal != null;
    }

    public int status() {
        return isRefused() ? refusal.status() : verdict.status();
    }
}
