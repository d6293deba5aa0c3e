package io.streamfleet.bench.late;

import io.streamfleet.bench.scenario.BenchEvent;
import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.Set;
import java.util.function.IntToLongFunction;

/**
 * Where the on-time orders that a stage diverted lost their time: between the driver's wire and the gateway's parse
 * (its {@code sf-ingested-at-ms} stamp, which the stages pass on to the late topics), or after it. An order that was
 * already more than its lateness old when the gateway parsed it waited in front of the gateway (socket buffers, event
 * loops), where no admission rule sees it; one that was younger waited inside (admission hold, publish) or was
 * overtaken in the log. Orders only: engagement events run on the benchmark's compressed clock.
 *
 * @param orders            on-time diverted orders with a known send and a stamp
 * @param lateAtIngest      of those, already older than the lateness when the gateway parsed them
 * @param wireToIngestMs    stamp − wire time, ms
 * @param ageAtIngestMs     stamp − event time, ms
 */
public record GatewayWait(long orders, long lateAtIngest, Histogram wireToIngestMs, Histogram ageAtIngestMs) {

    /**
     * @param stream       the run's events in send order (positions as {@code sentMsBySeq} counts them)
     * @param onTime       ids of the on-time events a stage diverted
     * @param sentMsBySeq  the counting send per position, or {@link ClientLateness#NO_SEND}
     * @param ingestedAtMs the gateway's stamp per id, where the late topics carried one
     * @param latenessMs   the orders' lateness bound
     */
    public static GatewayWait of(Iterable<BenchEvent> stream, Set<String> onTime, IntToLongFunction sentMsBySeq,
                                 Map<String, Long> ingestedAtMs, long latenessMs) {
        Histogram wire = new Histogram(3);
        Histogram age = new Histogram(3);
        long orders = 0;
        long lateAtIngest = 0;
        int seq = 0;
        for (BenchEvent e : stream) {
            int position = seq++;
            Long stamp = ingestedAtMs.get(e.eventId());
            if (!e.isOrder() || stamp == null || !onTime.contains(e.eventId())) {
                continue;
            }
            long sent = sentMsBySeq.applyAsLong(position);
            if (sent == ClientLateness.NO_SEND) {
                continue;
            }
            orders++;
            wire.recordValue(Math.max(0, stamp - sent));
            long ageMs = Math.max(0, stamp - e.eventTimeMs());
            age.recordValue(ageMs);
            if (ageMs > latenessMs) {
                lateAtIngest++;
            }
        }
        return new GatewayWait(orders, lateAtIngest, wire, age);
    }

    /** One line for the report's notes, or empty when no diverted order could be placed. */
    public String describe() {
        if (orders == 0) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, "of the on-time orders diverted as late, %,d carried the"
                        + " gateway's ingestion stamp: from the driver's wire to the gateway's parse p50 %,d ms, p99"
                        + " %,d ms, max %,d ms; age at the parse p50 %,d ms, max %,d ms; %,d already older than their"
                        + " lateness when parsed (they waited in front of the gateway, before any admission rule)",
                orders, wireToIngestMs.getValueAtPercentile(50), wireToIngestMs.getValueAtPercentile(99),
                wireToIngestMs.getMaxValue(), ageAtIngestMs.getValueAtPercentile(50), ageAtIngestMs.getMaxValue(),
                lateAtIngest);
    }
}
