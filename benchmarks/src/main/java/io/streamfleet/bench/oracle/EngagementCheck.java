package io.streamfleet.bench.oracle;

import io.streamfleet.bench.sse.ReceivedAlert;
import io.streamfleet.contracts.alert.EngagementAlert;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The engagement-drop alerts a run received against the drops its accepted on-time engagement events imply
 * ({@link EngagementOracle}), as {@link OracleCheck} does for bursts. An alert is <em>explained</em> when the oracle
 * implies a drop with its id and the same session bounds, ASD, baseline and ratio; an alert id the oracle does not
 * know is <em>unexplained</em>; an implied drop that was due and that no alert carries is <em>missing</em>; one not
 * due yet and not received is <em>pending</em> (its session may still be open in the fleet).
 *
 * @param events          the run's engagement events in {@code engagement.clean}
 * @param expected        drops the oracle implies and the fleet owed by the time of the check
 * @param pending         implied drops of sessions the fleet may not have closed yet, not received
 * @param alerts          distinct engagement-drop alerts received on the run's users
 * @param explained       alerts matching an implied drop in id and fields
 * @param fieldMismatches alerts whose id the oracle knows but whose fields differ
 * @param unexplained     alerts whose id the oracle does not know
 * @param missing         due drops without an alert
 * @param samples         a few of the mismatches, unexplained and missing, for the report
 * @param problem         why the input could not be read completely, or empty
 */
public record EngagementCheck(long events, int expected, int pending, int alerts, int explained, int fieldMismatches,
                              int unexplained, int missing, List<String> samples, String problem) {

    private static final int SAMPLE = 5;

    /** Compares; {@code alerts} are the run's engagement-drop alerts as received (duplicates are counted once). */
    public static EngagementCheck of(long events, List<EngagementOracle.Implied> implied, List<ReceivedAlert> alerts,
                                     String problem) {
        Map<String, EngagementOracle.Implied> byId = new LinkedHashMap<>();
        implied.forEach(i -> byId.put(i.alert().alertId(), i));
        Map<String, ReceivedAlert> received = new LinkedHashMap<>();
        alerts.forEach(a -> received.putIfAbsent(a.alertId(), a));
        int explained = 0;
        int mismatched = 0;
        int unexplained = 0;
        List<String> samples = new ArrayList<>();
        for (ReceivedAlert alert : received.values()) {
            EngagementOracle.Implied i = byId.get(alert.alertId());
            if (i == null) {
                unexplained++;
                sample(samples, "unexplained " + alert.alertId() + " of " + alert.key());
            } else if (sameFields(i.alert(), alert.body())) {
                explained++;
            } else {
                mismatched++;
                EngagementAlert a = i.alert();
                sample(samples, String.format(Locale.ROOT, "fields of %s: expected session %d-%d, asd %s ms, "
                        + "baseline %s ms, ratio %s", a.alertId(), a.sessionStartMs(), a.sessionEndMs(), a.asdMs(),
                        a.baselineAsdMs(), a.dropRatio()));
            }
        }
        int expected = 0;
        int pending = 0;
        int missing = 0;
        for (EngagementOracle.Implied i : byId.values()) {
            boolean got = received.containsKey(i.alert().alertId());
            if (i.due()) {
                expected++;
                if (!got) {
                    missing++;
                    sample(samples, "missing " + i.alert().alertId() + " of " + i.alert().userId());
                }
            } else if (!got) {
                pending++;
            }
        }
        return new EngagementCheck(events, expected, pending, received.size(), explained, mismatched, unexplained,
                missing, List.copyOf(samples), problem == null ? "" : problem);
    }

    /** Every alert explained and every due drop alerted. */
    public boolean exact() {
        return problem.isEmpty() && fieldMismatches == 0 && unexplained == 0 && missing == 0;
    }

    private static boolean sameFields(EngagementAlert expected, JsonNode alert) {
        return alert.path("sessionStartMs").asLong(Long.MIN_VALUE) == expected.sessionStartMs()
                && alert.path("sessionEndMs").asLong(Long.MIN_VALUE) == expected.sessionEndMs()
                && alert.path("asdMs").asDouble(Double.NaN) == expected.asdMs()
                && alert.path("baselineAsdMs").asDouble(Double.NaN) == expected.baselineAsdMs()
                && alert.path("dropRatio").asDouble(Double.NaN) == expected.dropRatio();
    }

    private static void sample(List<String> samples, String line) {
        if (samples.size() < SAMPLE) {
            samples.add(line);
        }
    }
}
