package io.streamfleet.bench.oracle;

import io.streamfleet.cep.burst.BurstDetection;
import io.streamfleet.bench.sse.ReceivedAlert;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The burst alerts a run received against the detections its accepted on-time orders imply ({@link BurstOracle}).
 * An alert is <em>explained</em> when the oracle has a detection with its id and the same window and counts; an alert
 * id the oracle does not know is <em>unexplained</em> (the fleet alerted on something its input does not show); a
 * detection no alert carries is <em>missing</em>. Independent of the labels: it holds under overload too, where
 * refused, resent and diverted events make the ground truth's assumptions wrong.
 *
 * @param orders          the run's orders in {@code orders.clean}
 * @param expected        detections the oracle found in them
 * @param alerts          distinct burst alerts received on the run's keys
 * @param explained       alerts matching a detection in id, window and counts
 * @param fieldMismatches alerts whose id the oracle knows but whose window or counts differ
 * @param unexplained     alerts whose id the oracle does not know
 * @param missing         detections without an alert
 * @param problem         why the input could not be read completely, or empty
 */
public record OracleCheck(long orders, int expected, int alerts, int explained, int fieldMismatches,
                          int unexplained, int missing, List<String> samples, String problem) {

    private static final int SAMPLE = 5;

    /** Compares; {@code alerts} are the run's burst alerts as received (duplicates are counted once). */
    public static OracleCheck of(long orders, List<BurstDetection> expected, List<ReceivedAlert> alerts,
                                 String problem) {
        Map<String, BurstDetection> byId = new LinkedHashMap<>();
        expected.forEach(d -> byId.put(d.alertId(), d));
        Map<String, ReceivedAlert> received = new LinkedHashMap<>();
        alerts.forEach(a -> received.putIfAbsent(a.alertId(), a));
        int explained = 0;
        int mismatched = 0;
        int unexplained = 0;
        List<String> samples = new ArrayList<>();
        for (ReceivedAlert alert : received.values()) {
            BurstDetection d = byId.get(alert.alertId());
            if (d == null) {
                unexplained++;
                sample(samples, "unexplained " + alert.alertId() + " on " + alert.key());
            } else if (sameFields(d, alert.body())) {
                explained++;
            } else {
                mismatched++;
                sample(samples, String.format(Locale.ROOT, "fields of %s: expected %d-%d, %d created, %d cancelled",
                        alert.alertId(), d.windowStartMs(), d.windowEndMs(), d.created(), d.canceled()));
            }
        }
        int missing = 0;
        for (BurstDetection d : byId.values()) {
            if (!received.containsKey(d.alertId())) {
                missing++;
                sample(samples, "missing " + d.alertId() + " on " + d.accountId() + "|" + d.symbol());
            }
        }
        return new OracleCheck(orders, byId.size(), received.size(), explained, mismatched, unexplained, missing,
                List.copyOf(samples), problem == null ? "" : problem);
    }

    /** Every alert explained and every detection alerted. */
    public boolean exact() {
        return problem.isEmpty() && fieldMismatches == 0 && unexplained == 0 && missing == 0;
    }

    private static boolean sameFields(BurstDetection d, JsonNode alert) {
        return alert.path("windowStartMs").asLong(-1) == d.windowStartMs()
                && alert.path("windowEndMs").asLong(-1) == d.windowEndMs()
                && alert.path("created").asInt(-1) == d.created()
                && alert.path("canceled").asInt(-1) == d.canceled();
    }

    private static void sample(List<String> samples, String line) {
        if (samples.size() < SAMPLE) {
            samples.add(line);
        }
    }
}
