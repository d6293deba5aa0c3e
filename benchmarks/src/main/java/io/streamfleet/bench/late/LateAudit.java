package io.streamfleet.bench.late;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a run's late topics hold against the events the scenario sent beyond the lateness bound on purpose. Every
 * intended late event must be diverted exactly once (never dropped silently,
 * docs/stream-processor.md#event-time-and-lateness). Any other event of the run in a late topic ({@code unexpected})
 * is missing from the detections, and is one of two kinds ({@link ClientLateness} states the rule):
 * <ul>
 * <li><b>late by the client</b>: the driver put it on the wire more than its lateness bound after its event time (on
 * the event's own clock), so the product's rule allows diverting it without any stage being at fault — typically a
 * driver far behind its schedule, or a resend after a long {@code Retry-After};</li>
 * <li><b>on-time, diverted by the fleet</b>: it reached the wire within its bound (or its send time is unknown) and a
 * stage still diverted it, because of something after the wire (the gateway's queue, a stage's backlog). Only these
 * count against the fleet.</li>
 * </ul>
 * Of the on-time ones, those that reached the wire with less wall-clock slack than the gateway may hold an event under
 * its overload rule ({@code publish.max-hold}) are <b>short of slack</b>: younger events of other requests may be
 * published before them within the rule, so their diversion does not show a queue beyond it. They still count as
 * on-time events diverted; only the overload verdict sets them apart ({@code Targets}).
 *
 * @param intended  events the scenario sent late on purpose (fleet-bench leaves out those no attempt of which may have
 *                  reached Kafka: see {@code SendLog#neverReachedKafka})
 * @param missing   intended late events found in no late topic (dropped, or still in flight when the run ended)
 * @param topics    per late topic, what it holds of this run
 * @param problem   why the topics could not be read completely, or empty
 */
public record LateAudit(long intended, long missing, List<String> missingSample, List<TopicTally> topics,
                        String problem) {

    private static final int SAMPLE = 5;

    /**
     * One late topic.
     *
     * @param records          records of this run in the topic
     * @param asIntended       distinct intended late events among them
     * @param unexpected       distinct events that were not meant to be late: {@code lateByClient + onTimeDiverted}
     * @param lateByClient     of those, events the driver sent beyond their lateness bound (not the fleet's fault)
     * @param onTimeDiverted   of those, events sent within their bound that a stage diverted: the fleet's fault
     * @param shortOfSlack     of the on-time diverted, those sent with less slack than the gateway's hold
     * @param extraCopies      records beyond the first of the same event (a late event must be diverted once)
     * @param unexpectedSample a few of the unexpected ones
     * @param onTimeSample     a few of the on-time ones the fleet diverted
     */
    public record TopicTally(String topic, long records, long asIntended, long unexpected, long lateByClient,
                             long onTimeDiverted, long shortOfSlack, long extraCopies, List<String> unexpectedSample,
                             List<String> onTimeSample) {
    }

    /**
     * Compares the event ids read from each late topic with the intended late ids, counting every other event as an
     * on-time event the fleet diverted (no send times known).
     */
    public static LateAudit of(Set<String> intendedLate, Map<String, List<String>> idsByTopic, String problem) {
        return of(intendedLate, idsByTopic, id -> false, problem);
    }

    /**
     * Compares the event ids read from each late topic with the intended late ids; {@code lateByClient} says which
     * of the others the driver sent beyond their lateness bound ({@link ClientLateness}). It must answer false for an
     * event whose send time it does not know, so such an event counts against the fleet.
     */
    public static LateAudit of(Set<String> intendedLate, Map<String, List<String>> idsByTopic,
                               Predicate<String> lateByClient, String problem) {
        return of(intendedLate, idsByTopic, lateByClient, id -> false, problem);
    }

    /**
     * As above; {@code shortOfSlack} says which events reached the wire with less slack than the gateway's hold
     * ({@link ClientLateness#sentWithSlackBelow}); it is asked only about on-time diverted ones.
     */
    public static LateAudit of(Set<String> intendedLate, Map<String, List<String>> idsByTopic,
                               Predicate<String> lateByClient, Predicate<String> shortOfSlack, String problem) {
        Set<String> diverted = new HashSet<>();
        List<TopicTally> tallies = new ArrayList<>();
        for (Map.Entry<String, List<String>> topic : new LinkedHashMap<>(idsByTopic).entrySet()) {
            Map<String, Integer> copies = new HashMap<>();
            topic.getValue().forEach(id -> copies.merge(id, 1, Integer::sum));
            long asIntended = copies.keySet().stream().filter(intendedLate::contains).count();
            List<String> unexpected = copies.keySet().stream().filter(id -> !intendedLate.contains(id)).sorted()
                    .toList();
            List<String> onTime = unexpected.stream().filter(id -> !lateByClient.test(id)).toList();
            long shortSlack = onTime.stream().filter(shortOfSlack).count();
            diverted.addAll(copies.keySet());
            tallies.add(new TopicTally(topic.getKey(), topic.getValue().size(), asIntended, unexpected.size(),
                    unexpected.size() - onTime.size(), onTime.size(), shortSlack,
                    topic.getValue().size() - copies.size(),
                    unexpected.stream().limit(SAMPLE).toList(), onTime.stream().limit(SAMPLE).toList()));
        }
        List<String> missing = intendedLate.stream().filter(id -> !diverted.contains(id)).sorted().toList();
        return new LateAudit(intendedLate.size(), missing.size(), missing.stream().limit(SAMPLE).toList(), tallies,
                problem == null ? "" : problem);
    }

    /** Events not meant to be late, over all late topics (late by the client and diverted by the fleet). */
    public long unexpected() {
        return topics.stream().mapToLong(TopicTally::unexpected).sum();
    }

    /** Events the driver sent beyond their lateness bound, over all late topics. */
    public long lateByClient() {
        return topics.stream().mapToLong(TopicTally::lateByClient).sum();
    }

    /** On-time events a stage diverted, over all late topics: the figure that counts against the fleet. */
    public long onTimeDiverted() {
        return topics.stream().mapToLong(TopicTally::onTimeDiverted).sum();
    }

    /** On-time events a stage diverted that had less slack at send than the gateway's hold, over all late topics. */
    public long shortOfSlack() {
        return topics.stream().mapToLong(TopicTally::shortOfSlack).sum();
    }

    /** On-time events a stage diverted although they left the driver with at least the gateway's hold to spare. */
    public long divertedWithSlack() {
        return onTimeDiverted() - shortOfSlack();
    }

    /** Records beyond the first copy of an event, over all late topics. */
    public long extraCopies() {
        return topics.stream().mapToLong(TopicTally::extraCopies).sum();
    }
}
