package io.streamfleet.gateway.warmup;

import java.time.Duration;

/**
 * What a self-warm-up did.
 *
 * @param sent    requests started and finished (answered or failed)
 * @param ok      of them, answered as expected end to end (dry-run answer 200, every warm-up record acknowledged)
 * @param took    from the first request to the last answer
 * @param stopped which bound ended it
 */
public record WarmUpResult(int sent, int ok, Duration took, Stop stopped) {

    /** Why a warm-up ended. */
    public enum Stop {
        /** it did not run (switched off) */
        NOT_RUN,
        /** the request budget was used up */
        REQUESTS,
        /** the time budget was used up */
        TIME
    }

    public static final WarmUpResult NOT_RUN = new WarmUpResult(0, 0, Duration.ZERO, Stop.NOT_RUN);

    public int failed() {
        return sent - ok;
    }
}
