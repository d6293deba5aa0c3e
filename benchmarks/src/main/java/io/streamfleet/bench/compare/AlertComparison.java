package io.streamfleet.bench.compare;

import tools.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Two alert sets compared by alertId.
 *
 * @param identical alerts in both whose fields (and record key, timestamp, topic) are all equal
 * @param differing alerts in both with at least one differing field
 */
public record AlertComparison(Side a, Side b, List<AlertCopy> onlyInA, List<AlertCopy> onlyInB, int identical,
                              List<Difference> differing) {

    public AlertComparison {
        onlyInA = List.copyOf(onlyInA);
        onlyInB = List.copyOf(onlyInB);
        differing = List.copyOf(differing);
    }

    public int inBoth() {
        return identical + differing.size();
    }

    /** Same ids, same fields, and neither side has duplicates or unreadable records. */
    public boolean same() {
        return onlyInA.isEmpty() && onlyInB.isEmpty() && differing.isEmpty() && a.clean() && b.clean();
    }

    /**
     * One side's alerts.
     *
     * @param alerts       distinct alert ids
     * @param perTopic     distinct alert ids per topic
     * @param unreadable   positions of records that are not alerts (no JSON object with an alertId)
     * @param extraCopies  per alertId found more than once, the number of extra copies
     * @param inconsistent alertIds whose copies disagree with each other
     */
    public record Side(int alerts, Map<String, Integer> perTopic, List<String> unreadable,
                       Map<String, Integer> extraCopies, List<String> inconsistent) {

        public Side {
            perTopic = Collections.unmodifiableMap(new TreeMap<>(perTopic));
            unreadable = List.copyOf(unreadable);
            extraCopies = Collections.unmodifiableMap(new TreeMap<>(extraCopies));
            inconsistent = List.copyOf(inconsistent);
        }

        public boolean clean() {
            return unreadable.isEmpty() && extraCopies.isEmpty();
        }
    }

    /** An alert in both sets whose fields differ. */
    public record Difference(String alertId, String topic, List<FieldDifference> fields) {
        public Difference {
            fields = List.copyOf(fields);
        }
    }

    /**
     * One differing field: a value field by name, or {@code (key)}, {@code (timestamp)}, {@code (topic)} for the
     * record's own. A field missing on one side is a {@code MissingNode} there.
     */
    public record FieldDifference(String field, JsonNode a, JsonNode b) {
    }
}
