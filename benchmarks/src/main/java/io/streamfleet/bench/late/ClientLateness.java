package io.streamfleet.bench.late;

import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.ScenarioSettings;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.IntToLongFunction;

/**
 * The product's lateness rule applied to the client's own send time, to tell an event the driver made late from one
 * the fleet diverted.
 *
 * <p>A stage diverts an event when {@code eventTimeMs < streamTime − lateness} (docs/event-time.md: orders 3 s,
 * engagement 120 s). A partition's stream time is the highest event time of its data or the gateway's clock moved on
 * by the elapsed clock time of a silence, never past the gateway's wall clock when it publishes (the scenario's event
 * times never lie ahead of the wall clock). So an event that reaches the wire within its bound can be diverted only if
 * something after the wire held it back (the gateway, a stage, the broker): that is the fleet's doing. An event the
 * driver put on the wire beyond its bound may be diverted by the rule without any stage being at fault.
 *
 * <p><b>Rule</b>: an event is <em>late by the client</em> when {@code eventTimeMs < clock(sentMs) − lateness}, where
 * {@code sentMs} is the wall-clock time its request was written to the wire (for an event sent more than once, its
 * first attempt that may have reached Kafka: see {@code SendLog}), and {@code clock} is the event's own clock:
 * <ul>
 * <li>orders: the wall clock itself ({@code clock(t) = t}), lateness {@code burst.latenessMs} (3 s);</li>
 * <li>engagement: the run's compressed engagement clock, {@code clock(t) = engagementClockStart + (t − runStart) ×
 * speed}, the clock its event times are drawn from, lateness {@code session.latenessMs} (120 s of event time, i.e.
 * 0.5 s of wall time at the default 240×).</li>
 * </ul>
 * The rule assumes the driver and the gateway read the same wall clock (the loopback runs fleet-bench is made for).
 */
public record ClientLateness(long runStartMs, long orderLatenessMs, long engagementClockStartMs, int engagementSpeed,
                             long engagementLatenessMs) {

    public ClientLateness {
        if (engagementSpeed < 1 || orderLatenessMs < 0 || engagementLatenessMs < 0) {
            throw new IllegalArgumentException("speed must be >= 1 and the lateness bounds >= 0");
        }
    }

    public static ClientLateness of(ScenarioSettings s) {
        return new ClientLateness(s.startMs(), s.burst().latenessMs(), s.engagementClockStartMs(),
                s.engagementSpeed(), s.session().latenessMs());
    }

    /** The event's own clock at wall time {@code wallMs}. */
    public long clockAt(BenchEvent event, long wallMs) {
        return event.isOrder() ? wallMs : engagementClockStartMs + (wallMs - runStartMs) * engagementSpeed;
    }

    /** The lateness bound of the event's kind, in its own clock's milliseconds. */
    public long latenessMs(BenchEvent event) {
        return event.isOrder() ? orderLatenessMs : engagementLatenessMs;
    }

    /** The lateness bound of the event's kind in wall-clock milliseconds (engagement: divided by the speed). */
    public double wallBoundMs(BenchEvent event) {
        return event.isOrder() ? orderLatenessMs : (double) engagementLatenessMs / engagementSpeed;
    }

    /** How old the event was on its own clock when it reached the wire. */
    public long ageAtSendMs(BenchEvent event, long sentMs) {
        return clockAt(event, sentMs) - event.eventTimeMs();
    }

    /** The rule above: sent beyond its lateness bound, so a stage may divert it without being at fault. */
    public boolean lateByClient(BenchEvent event, long sentMs) {
        return event.eventTimeMs() < clockAt(event, sentMs) - latenessMs(event);
    }

    /**
     * Wall-clock milliseconds the event had left before passing its lateness bound when it reached the wire at
     * {@code sentMs}: negative when it was late by the client. A stage downstream may divert an on-time event whose
     * slack is smaller than the time the gateway is allowed to hold it ({@code publish.max-hold}): events of other
     * requests, younger than it, may be published first and move the stream time past it.
     */
    public double slackAtSendMs(BenchEvent event, long sentMs) {
        double ageWallMs = event.isOrder() ? ageAtSendMs(event, sentMs)
                : (double) ageAtSendMs(event, sentMs) / engagementSpeed;
        return wallBoundMs(event) - ageWallMs;
    }

    /** What {@code sentMsBySeq} answers for a position without a counting send. */
    public static final long NO_SEND = Long.MIN_VALUE;

    /**
     * Which of {@code candidates} (ids found in a late topic) were late by the client. An id is late by the client
     * only if it has a counting send and the <em>earliest</em> counting send over all its copies (the scenario's
     * duplicates share its id and event time) was beyond its bound: any copy that may have reached the fleet in time
     * makes its diversion the fleet's. An id without any counting send (its time unknown) is not late by the client,
     * so it counts against the fleet.
     *
     * @param stream      the run's events in stream order (position = index)
     * @param sentMsBySeq the counting send per position, or {@link #NO_SEND}
     */
    public Set<String> lateByClient(Iterable<BenchEvent> stream, Set<String> candidates,
                                    IntToLongFunction sentMsBySeq) {
        return selectByEarliestSend(stream, candidates, sentMsBySeq, this::lateByClient);
    }

    /**
     * Which of {@code candidates} reached the wire, at their earliest counting send, with less than {@code minSlackMs}
     * of wall-clock slack ({@link #slackAtSendMs}); the late by the client are among them. An id without a counting
     * send is not.
     */
    public Set<String> sentWithSlackBelow(Iterable<BenchEvent> stream, Set<String> candidates,
                                          IntToLongFunction sentMsBySeq, long minSlackMs) {
        return selectByEarliestSend(stream, candidates, sentMsBySeq,
                (event, sentMs) -> slackAtSendMs(event, sentMs) < minSlackMs);
    }

    /** A rule on an event and its send time ({@link #lateByClient(BenchEvent, long)} has this shape). */
    private interface SendRule {
        boolean test(BenchEvent event, long sentMs);
    }

    private record Send(BenchEvent event, long sentMs) {
    }

    /**
     * The candidate ids that have a counting send and whose earliest counting send over all their copies satisfies
     * {@code rule}.
     */
    private static Set<String> selectByEarliestSend(Iterable<BenchEvent> stream, Set<String> candidates,
                                                    IntToLongFunction sentMsBySeq, SendRule rule) {
        Map<String, Send> earliest = new HashMap<>();
        int seq = 0;
        for (BenchEvent e : stream) {
            int position = seq++;
            if (!candidates.contains(e.eventId())) {
                continue;
            }
            long sent = sentMsBySeq.applyAsLong(position);
            if (sent != NO_SEND) {
                earliest.merge(e.eventId(), new Send(e, sent), (a, b) -> a.sentMs() <= b.sentMs() ? a : b);
            }
        }
        Set<String> selected = new HashSet<>();
        earliest.forEach((id, send) -> {
            if (rule.test(send.event(), send.sentMs())) {
                selected.add(id);
            }
        });
        return selected;
    }
}
