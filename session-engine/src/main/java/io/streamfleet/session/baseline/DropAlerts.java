package io.streamfleet.session.baseline;

import io.streamfleet.contracts.Decimals;
import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.id.AlertIds;
import io.streamfleet.contracts.stats.EngagementSession;

import java.util.Locale;

/** Builds the {@link EngagementAlert} of a session that dropped below its user's baseline. */
public final class DropAlerts {

    private DropAlerts() {
    }

    /** The alert id depends only on the user and the session bounds, so a re-evaluated session keeps its id. */
    public static EngagementAlert of(EngagementSession session, double asdMs, BaselineRule.Verdict verdict,
                                     long detectedAtMs) {
        double baseline = verdict.prior().emaAsdMs();
        double ratio = Decimals.halfUp(verdict.dropRatio(), 3);
        String note = note(asdMs, ratio * 100, baseline, verdict.prior().sessions(), session.viewEnds());
        return new EngagementAlert(
                AlertIds.engagementDrop(session.userId(), session.sessionStartMs(), session.sessionEndMs()),
                AlertType.ENGAGEMENT_DROP, session.userId(), session.sessionStartMs(), session.sessionEndMs(),
                Decimals.halfUp(asdMs, 1), Decimals.halfUp(baseline, 1), ratio, detectedAtMs, note);
    }

    /**
     * {@code String.format(Locale.ROOT, "average session duration %.1f ms is %.1f %% below the baseline of %.1f ms
     * (%d earlier sessions, %d views)", …)}, without the formatter (it was most of an alert's cost).
     * {@code DropAlertsTest} holds it to the format string.
     */
    static String note(double asdMs, double percent, double baselineMs, long sessions, long views) {
        return "average session duration " + oneDecimal(asdMs) + " ms is " + oneDecimal(percent)
                + " % below the baseline of " + oneDecimal(baselineMs) + " ms (" + sessions + " earlier sessions, "
                + views + " views)";
    }

    /**
     * {@code String.format(Locale.ROOT, "%.1f", value)}: the digits of {@link Double#toString(double)} rounded half-up
     * to one decimal, as the formatter's contract says. Values outside [0.001, 10^7), where that string has an
     * exponent, go to the formatter itself.
     */
    static String oneDecimal(double value) {
        if (!(value >= 1e-3 && value < 1e7)) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        String digits = Double.toString(value);
        int point = digits.indexOf('.');
        if (digits.length() <= point + 2) {
            return digits;
        }
        char[] out = digits.substring(0, point + 2).toCharArray();
        if (digits.charAt(point + 2) < '5') {
            return new String(out);
        }
        for (int i = out.length - 1; i >= 0; i--) {
            if (out[i] == '.') {
                continue;
            }
            if (out[i] != '9') {
                out[i]++;
                return new String(out);
            }
            out[i] = '0';
        }
        return "1" + new String(out);
    }
}
