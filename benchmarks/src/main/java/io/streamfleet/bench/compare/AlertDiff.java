package io.streamfleet.bench.compare;

import io.streamfleet.bench.compare.AlertComparison.Difference;
import io.streamfleet.bench.compare.AlertComparison.FieldDifference;
import io.streamfleet.bench.compare.AlertComparison.Side;
import io.streamfleet.bench.replay.LogRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares two alert sets by alertId: which are only in A, only in B, in both, and for those in both which fields
 * differ. Numbers compare by value ({@code 1} equals {@code 1.0}); a record's key, timestamp and topic count as fields.
 * Progress records are ignored; the first copy of a duplicated alert is the one compared.
 */
public final class AlertDiff {

    private static final Comparator<JsonNode> BY_VALUE = (x, y) -> {
        if (x.isNumber() && y.isNumber()) {
            return x.decimalValue().compareTo(y.decimalValue());
        }
        return x.equals(y) ? 0 : 1;
    };

    private static final Comparator<AlertCopy> ORDER =
            Comparator.comparingLong(AlertCopy::timestampMs).thenComparing(AlertCopy::alertId);

    private AlertDiff() {
    }

    public static AlertComparison compare(List<LogRecord> a, List<LogRecord> b) {
        Map<String, AlertCopy> inA = new LinkedHashMap<>();
        Map<String, AlertCopy> inB = new LinkedHashMap<>();
        Side sideA = collect(a, inA);
        Side sideB = collect(b, inB);
        List<AlertCopy> onlyA = new ArrayList<>();
        List<Difference> differing = new ArrayList<>();
        int identical = 0;
        for (AlertCopy x : inA.values()) {
            AlertCopy y = inB.get(x.alertId());
            if (y == null) {
                onlyA.add(x);
                continue;
            }
            List<FieldDifference> fields = fields(x, y);
            if (fields.isEmpty()) {
                identical++;
            } else {
                differing.add(new Difference(x.alertId(), x.topic(), fields));
            }
        }
        List<AlertCopy> onlyB = inB.values().stream().filter(y -> !inA.containsKey(y.alertId())).sorted(ORDER)
                .toList();
        onlyA.sort(ORDER);
        return new AlertComparison(sideA, sideB, onlyA, onlyB, identical, differing);
    }

    /** The fields in which two copies of an alert differ, in the order of {@code x}'s fields; empty when equal. */
    public static List<FieldDifference> fields(AlertCopy x, AlertCopy y) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<FieldDifference> out = new ArrayList<>();
        if (!x.topic().equals(y.topic())) {
            out.add(new FieldDifference("(topic)", f.stringNode(x.topic()), f.stringNode(y.topic())));
        }
        if (!Objects.equals(x.key(), y.key())) {
            out.add(new FieldDifference("(key)", text(x.key()), text(y.key())));
        }
        if (x.timestampMs() != y.timestampMs()) {
            out.add(new FieldDifference("(timestamp)", f.numberNode(x.timestampMs()), f.numberNode(y.timestampMs())));
        }
        Set<String> names = new LinkedHashSet<>(x.value().propertyNames());
        names.addAll(y.value().propertyNames());
        for (String name : names) {
            JsonNode vx = x.value().path(name);
            JsonNode vy = y.value().path(name);
            if (vx.isMissingNode() != vy.isMissingNode() || !vx.equals(BY_VALUE, vy)) {
                out.add(new FieldDifference(name, vx, vy));
            }
        }
        return out;
    }

    private static JsonNode text(String text) {
        return text == null ? JsonNodeFactory.instance.nullNode() : JsonNodeFactory.instance.stringNode(text);
    }

    private static Side collect(List<LogRecord> records, Map<String, AlertCopy> first) {
        List<String> unreadable = new ArrayList<>();
        Map<String, Integer> extra = new TreeMap<>();
        Set<String> inconsistent = new LinkedHashSet<>();
        Map<String, Integer> perTopic = new TreeMap<>();
        for (LogRecord r : records) {
            if (r.isProgress()) {
                continue;
            }
            Optional<AlertCopy> copy = AlertCopy.of(r);
            if (copy.isEmpty()) {
                unreadable.add(r.position());
                continue;
            }
            AlertCopy c = copy.get();
            AlertCopy earlier = first.putIfAbsent(c.alertId(), c);
            if (earlier == null) {
                perTopic.merge(c.topic(), 1, Integer::sum);
            } else {
                extra.merge(c.alertId(), 1, Integer::sum);
                if (!fields(earlier, c).isEmpty()) {
                    inconsistent.add(c.alertId());
                }
            }
        }
        return new Side(first.size(), perTopic, unreadable, extra, List.copyOf(inconsistent));
    }
}
