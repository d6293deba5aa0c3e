package io.streamfleet.drills;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The event checks of a drill, from what the client was told and what the topics hold: every acknowledged event
 * exactly once in a clean topic or in stream-processor's late topic, and no event in any late topic unless it was
 * sent late on purpose or the gateway acknowledged it late. Pure, so the rules are tested without a fleet.
 *
 * @param audit    the counts for the report
 * @param problems failed checks, in words, with a few example eventIds and where their records are
 */
record EventVerdict(DrillResult.EventAudit audit, List<String> problems) {

    private static final int SAMPLE = 5;

    /**
     * What the drill knows of one eventId it sent.
     *
     * @param acked    the gateway answered {@code accepted}
     * @param onTime   acknowledged within the on-time bound of its send time (so it cannot be behind a watermark)
     * @param sentLate the scenario sent it beyond the lateness bound on purpose
     * @param compressed an engagement event on the drill's compressed clock (event time runs many times faster than
     *                   the wall clock, so a retry seconds later is far beyond the 10-minute dedup retention)
     */
    record Sent(boolean acked, boolean onTime, boolean sentLate, boolean compressed) {

        Sent(boolean acked, boolean onTime, boolean sentLate) {
            this(acked, onTime, sentLate, false);
        }

        boolean mustNotBeLate() {
            return acked && onTime && !sentLate;
        }
    }

    /**
     * Two copies that are not a duplicate by the dedup contract (first occurrence wins within the retention, 10 min of
     * event time): an engagement event the gateway acknowledged only on a retry, whose first attempt had reached Kafka
     * before the gateway died. On the drill's compressed clock the retry comes hours of event time later, past the
     * retention, so stream-processor cannot know the first copy any more and diverts the retry as late: once in a
     * clean topic and once in a late one, or twice in a late one when the first copy was already late. Two clean
     * copies stay a duplicate (an on-time copy is well within the retention of the other), and orders, on the real
     * clock, keep the strict rule.
     */
    private static boolean retriedPastRetention(Sent s, List<String> copies) {
        return s.compressed() && s.acked() && !s.onTime() && copies.size() == 2
                && copies.stream().filter(c -> c.contains(".clean-")).count() <= 1;
    }

    /**
     * @param sent     eventId → what the client knows of it
     * @param records  eventId → its records in the clean topics and among stream-processor's diversions
     * @param diverted eventId → its records in any late topic, diverted by any stage
     * @param resent   events sent again on purpose (same eventId)
     */
    static EventVerdict judge(Map<String, Sent> sent, Map<String, List<String>> records,
                              Map<String, List<String>> diverted, long resent) {
        List<String> lost = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        int acked = 0;
        int unackedWritten = 0;
        int pastRetention = 0;
        for (Map.Entry<String, Sent> e : sent.entrySet()) {
            int copies = records.getOrDefault(e.getKey(), List.of()).size();
            if (!e.getValue().acked()) {
                unackedWritten += copies > 0 ? 1 : 0;
                continue;
            }
            acked++;
            if (copies == 0) {
                lost.add(e.getKey());
            } else if (retriedPastRetention(e.getValue(), records.get(e.getKey()))) {
                pastRetention++;
            } else if (copies > 1) {
                duplicated.add(e.getKey());
            }
        }
        List<String> onTime = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        int asSent = 0;
        for (String id : diverted.keySet()) {
            Sent s = sent.get(id);
            if (s == null) {
                unknown.add(id);
            } else if (s.mustNotBeLate()) {
                onTime.add(id);
            } else {
                asSent++;
            }
        }
        List<String> problems = new ArrayList<>();
        if (!lost.isEmpty()) {
            problems.add(lost.size() + " acknowledged events are in no clean topic and were not diverted, e.g. "
                    + sample(lost, records));
        }
        if (!duplicated.isEmpty()) {
            problems.add(duplicated.size() + " acknowledged events are in the clean/late topics more than once, e.g. "
                    + sample(duplicated, records));
        }
        if (!onTime.isEmpty()) {
            problems.add(onTime.size() + " events acknowledged on time were diverted to a late topic, e.g. "
                    + sample(onTime, diverted));
        }
        if (!unknown.isEmpty()) {
            problems.add(unknown.size() + " events of the run in a late topic were never sent by the drill, e.g. "
                    + sample(unknown, diverted));
        }
        DrillResult.EventAudit audit = new DrillResult.EventAudit(sent.size(), acked, sent.size() - acked, resent,
                lost.size(), duplicated.size(), unackedWritten, asSent, onTime.size(), pastRetention);
        return new EventVerdict(audit, List.copyOf(problems));
    }

    private static List<String> sample(List<String> ids, Map<String, List<String>> where) {
        return ids.stream().sorted().limit(SAMPLE).map(id -> id + " " + where.getOrDefault(id, List.of())).toList();
    }
}
