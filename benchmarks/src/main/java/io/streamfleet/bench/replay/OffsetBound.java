package io.streamfleet.bench.replay;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One end of the stretch to record: the log's edge (its beginning for {@code --from}, its current end for
 * {@code --to}), offsets, or a timestamp. Resolved per partition to an offset within the partition's current
 * {@code [beginning, end]}; the stretch read is {@code [from, to)}.
 */
public sealed interface OffsetBound {

    /** The beginning of the log ({@code from}) or its end when the recording starts ({@code to}). */
    record Edge() implements OffsetBound {
    }

    /**
     * Offsets: each entry applies to every partition ({@code 120}), one partition of every topic ({@code 0:120}) or
     * one partition of one topic ({@code orders.raw:0:120}); the most specific wins, unlisted partitions use the edge.
     */
    record Offsets(List<Entry> entries) implements OffsetBound {
        public Offsets {
            entries = List.copyOf(entries);
        }
    }

    /** @param topic {@code null} for every topic; @param partition -1 for every partition */
    record Entry(String topic, int partition, long offset) {
    }

    /** The first record with a timestamp at or after this instant (Kafka's offsets-for-times lookup). */
    record Time(long epochMs) implements OffsetBound {
    }

    /** Looks up the first offset whose timestamp is at or after a time; empty when no such record exists yet. */
    interface TimeLookup {
        OptionalLong offsetAt(String topic, int partition, long epochMs);
    }

    static OffsetBound edge() {
        return new Edge();
    }

    /** @param option the option's name, for messages */
    static OffsetBound parseOffsets(String option, String text) {
        List<Entry> entries = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] bits = part.trim().split(":");
            try {
                entries.add(switch (bits.length) {
                    case 1 -> new Entry(null, -1, offset(bits[0]));
                    case 2 -> new Entry(null, partition(bits[0]), offset(bits[1]));
                    case 3 -> new Entry(bits[0].trim(), partition(bits[1]), offset(bits[2]));
                    default -> throw new NumberFormatException();
                });
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + option + " takes OFFSET, PARTITION:OFFSET or "
                        + "TOPIC:PARTITION:OFFSET (comma-separated, offsets >= 0), was '" + text + "'");
            }
        }
        return new Offsets(entries);
    }

    /** An ISO-8601 instant with a zone or offset ({@code 2026-12-03T10:00:00Z}) or epoch milliseconds. */
    static OffsetBound parseTime(String option, String text) {
        String t = text.trim();
        try {
            if (t.chars().allMatch(Character::isDigit) && !t.isEmpty()) {
                return new Time(Long.parseLong(t));
            }
            return new Time(Instant.parse(t).toEpochMilli());
        } catch (DateTimeParseException | NumberFormatException e) {
            try {
                return new Time(OffsetDateTime.parse(t).toInstant().toEpochMilli());
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("--" + option + " takes an ISO-8601 instant such as "
                        + "2026-12-03T10:00:00Z or 2026-12-03T11:00:00+01:00, or epoch milliseconds; was '" + text
                        + "'");
            }
        }
    }

    /**
     * The offset this bound names in one partition, kept within {@code [beginning, end]} (records before the
     * beginning are gone; records after the end are not written yet).
     *
     * @param from true for the start of the stretch, false for its (exclusive) end
     */
    default long resolve(String topic, int partition, long beginning, long end, boolean from, TimeLookup times) {
        long edge = from ? beginning : end;
        long offset;
        if (this instanceof Offsets o) {
            offset = o.entries().stream()
                    .filter(e -> (e.topic() == null || e.topic().equals(topic))
                            && (e.partition() < 0 || e.partition() == partition))
                    .max((a, b) -> Integer.compare(specificity(a), specificity(b)))
                    .map(Entry::offset).orElse(edge);
        } else if (this instanceof Time t) {
            offset = times.offsetAt(topic, partition, t.epochMs()).orElse(end);
        } else {
            offset = edge;
        }
        return Math.max(beginning, Math.min(end, offset));
    }

    private static int specificity(Entry e) {
        return (e.topic() == null ? 0 : 2) + (e.partition() < 0 ? 0 : 1);
    }

    private static long offset(String text) {
        long v = Long.parseLong(text.trim().replace("_", ""));
        if (v < 0) {
            throw new NumberFormatException();
        }
        return v;
    }

    private static int partition(String text) {
        int v = Integer.parseInt(text.trim());
        if (v < 0) {
            throw new NumberFormatException();
        }
        return v;
    }
}
