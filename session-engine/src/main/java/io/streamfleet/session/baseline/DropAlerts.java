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
        String note = String.format(Locale.ROOT,
                "average session duration %.1f ms is %.1f %% below the baseline of %.1f ms (%d earlier sessions, %d views)",
                asdMs, ratio * 100, baseline, verdict.prior().sessions(), session.viewEnds());
        return new EngagementAlert(
                AlertIds.engagementDrop(session.userId(), session.sessionStartMs(), session.sessionEndMs()),
                AlertType.ENGAGEMENT_DROP, session.userId(), session.sessionStartMs(), session.sessionEndMs(),
                Decimals.halfUp(asdMs, 1), Decimals.halfUp(baseline, 1), ratio, detectedAtMs, note);
    }
}
