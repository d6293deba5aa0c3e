package io.streamfleet.bench.late;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run's late topics hold against the events the scenario sent beyond the lateness bound on purpose. Every
 * intended late event must be diverted exactly once (never dropped silently,
 * docs/stream-processor.md#event-time-and-lateness); any other event of the run in a late topic is an on-time event the
 * pipeline wrongly treated as late — it is missing from the detections.
 *
 * @param intended  events the scenario sent late on purpose
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
     * @param records     records of this run in the topic
     * @param asIntended  distinct intended late events among them
     * @param unexpected  distinct events that were not sent late (wrongly diverted)
     * @param extraCopies records beyond the first of the same event (a late event must be diverted once)
     */
    public record TopicTally(String topic, long records, long asIntended, long unexpected, long extraCopies,
                             List<String> unexpectedSample) {
    }

    /** Compares the event ids read from each late topic with the intended late ids. */
    public static LateAudit of(Set<String> intendedLate, Map<String, List<String>> idsByTopic, String problem) {
        Set<String> diverted = new HashSet<>();
        List<TopicTally> tallies = new ArrayList<>();
        for (Map.Entry<String, List<String>> topic : new LinkedHashMap<>(idsByTopic).entrySet()) {
            Map<String, Integer> copies = new HashMap<>();
            topic.getValue().forEach(id -> copies.merge(id, 1, Integer::sum));
            long asIntended = copies.keySet().stream().filter(intendedLate::contains).count();
            List<String> unexpected = copies.keySet().stream().filter(id -> !intendedLate.contains(id)).sorted()
                    .toList();
            diverted.addAll(copies.keySet());
            tallies.add(new TopicTally(topic.getKey(), topic.getValue().size(), asIntended, unexpected.size(),
                    topic.getValue().size() - copies.size(), unexpected.stream().limit(SAMPLE).toList()));
        }
        List<String> missing = intendedLate.stream().filter(id -> !diverted.contains(id)).sorted().toList();
        return new LateAudit(intendedLate.size(), missing.size(), missing.stream().limit(SAMPLE).toList(), tallies,
                problem == null ? "" : problem);
    }

    /** Wrongly diverted events over all late topics. */
    public long unexpected() {
        return topics.stream().mapToLong(TopicTally::unexpected).sum();
    }

    /** Records beyond the first copy of an event, over all late topics. */
    public long extraCopies() {
        return topics.stream().mapToLong(TopicTally::extraCopies).sum();
    }
}
