package io.streamfleet.bench.compare;

import io.streamfleet.bench.compare.AlertComparison.Difference;
import io.streamfleet.bench.compare.AlertComparison.FieldDifference;
import io.streamfleet.bench.compare.AlertComparison.Side;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** The comparison as text for the console and as JSON for scripts. */
public final class ComparisonReport {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ComparisonReport() {
    }

    /** @param maxListed at most this many alerts per list (only in A, only in B, differing) */
    public static String text(AlertComparison c, String labelA, String labelB, int maxListed) {
        StringBuilder s = new StringBuilder();
        s.append("A: ").append(labelA).append(" - ").append(describe(c.a())).append('\n');
        s.append("B: ").append(labelB).append(" - ").append(describe(c.b())).append('\n');
        s.append(String.format(Locale.ROOT, "only in A: %,d   only in B: %,d   in both: %,d (identical %,d, "
                + "differing %,d)%n", c.onlyInA().size(), c.onlyInB().size(), c.inBoth(), c.identical(),
                c.differing().size()));
        side(s, "A", c.a(), maxListed);
        side(s, "B", c.b(), maxListed);
        list(s, "only in A", c.onlyInA(), maxListed, a -> s.append(alert(a)));
        list(s, "only in B", c.onlyInB(), maxListed, a -> s.append(alert(a)));
        list(s, "in both, differing", c.differing(), maxListed, d -> {
            s.append(d.alertId()).append(" (").append(d.topic()).append(")");
            for (FieldDifference f : d.fields()) {
                s.append("\n      ").append(f.field()).append(": A=").append(shown(f.a())).append("  B=")
                        .append(shown(f.b()));
            }
        });
        s.append(c.same() ? "The alert sets are identical.\n" : "The alert sets differ.\n");
        return s.toString();
    }

    public static String json(AlertComparison c, String labelA, String labelB) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("identical", c.same());
        side(n.putObject("a"), labelA, c.a());
        side(n.putObject("b"), labelB, c.b());
        ArrayNode onlyA = n.putArray("onlyInA");
        c.onlyInA().forEach(a -> onlyA.add(a.value()));
        ArrayNode onlyB = n.putArray("onlyInB");
        c.onlyInB().forEach(b -> onlyB.add(b.value()));
        n.put("inBoth", c.inBoth());
        n.put("identicalInBoth", c.identical());
        ArrayNode differing = n.putArray("differing");
        for (Difference d : c.differing()) {
            ObjectNode dn = differing.addObject().put("alertId", d.alertId()).put("topic", d.topic());
            ArrayNode fields = dn.putArray("fields");
            for (FieldDifference f : d.fields()) {
                ObjectNode fn = fields.addObject().put("field", f.field());
                fn.set("a", f.a().isMissingNode() ? null : f.a());
                fn.set("b", f.b().isMissingNode() ? null : f.b());
            }
        }
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n);
    }

    private static void side(ObjectNode n, String label, Side side) {
        n.put("source", label);
        n.put("alerts", side.alerts());
        ObjectNode perTopic = n.putObject("perTopic");
        side.perTopic().forEach(perTopic::put);
        ArrayNode unreadable = n.putArray("unreadable");
        side.unreadable().forEach(unreadable::add);
        ObjectNode extra = n.putObject("extraCopies");
        side.extraCopies().forEach(extra::put);
        ArrayNode inconsistent = n.putArray("inconsistentCopies");
        side.inconsistent().forEach(inconsistent::add);
    }

    private static String describe(Side side) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%,d alerts", side.alerts()));
        if (!side.perTopic().isEmpty()) {
            s.append(" (");
            side.perTopic().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                    s.append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%,d", e.getValue()))
                            .append(", "));
            s.setLength(s.length() - 2);
            s.append(')');
        }
        return s.toString();
    }

    private static void side(StringBuilder s, String name, Side side, int maxListed) {
        if (!side.extraCopies().isEmpty()) {
            int copies = side.extraCopies().values().stream().mapToInt(Integer::intValue).sum();
            s.append(String.format(Locale.ROOT, "%s has %,d duplicate cop%s of %,d alert(s), e.g. %s%n", name,
                    copies, copies == 1 ? "y" : "ies", side.extraCopies().size(),
                    String.join(", ", side.extraCopies().keySet().stream().limit(Math.max(1, maxListed)).toList())));
        }
        if (!side.inconsistent().isEmpty()) {
            s.append(name).append("'s copies disagree for ").append(String.join(", ", side.inconsistent().stream()
                    .limit(Math.max(1, maxListed)).toList())).append('\n');
        }
        if (!side.unreadable().isEmpty()) {
            s.append(String.format(Locale.ROOT, "%s has %,d record(s) that are not alerts, e.g. %s%n", name,
                    side.unreadable().size(), side.unreadable().get(0)));
        }
    }

    private static <T> void list(StringBuilder s, String title, List<T> items, int max, Consumer<T> line) {
        if (items.isEmpty()) {
            return;
        }
        s.append(title).append(':').append('\n');
        items.stream().limit(max).forEach(item -> {
            s.append("  ");
            line.accept(item);
            s.append('\n');
        });
        if (items.size() > max) {
            s.append(String.format(Locale.ROOT, "  ... and %,d more%n", items.size() - max));
        }
    }

    private static String alert(AlertCopy a) {
        long at = a.detectedAtMs();
        return a.alertId() + "  " + a.type() + "  key " + a.key() + "  detected "
                + (at >= 0 ? Instant.ofEpochMilli(at).toString() : "?") + "  (" + a.topic() + ")";
    }

    private static String shown(JsonNode v) {
        return v.isMissingNode() ? "(absent)" : v.toString();
    }
}
