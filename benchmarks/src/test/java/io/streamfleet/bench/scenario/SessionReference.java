package io.streamfleet.bench.scenario;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The session and engagement-drop rules (docs/session-analytics.md#sessions-and-engagement-drops) read literally for
 * one user's whole stream: the oracle for the engagement ground truth.
 */
final class SessionReference {

    record Drop(String userId, long sessionStartMs, long sessionEndMs, double asd, double baseline, double ratio) {
    }

    private SessionReference() {
    }

    /** Drops of the sessions that have closed by the time stream time reaches {@code streamTimeMs}. */
    static List<Drop> drops(List<EngagementEvent> userEvents, SessionRules r, long streamTimeMs) {
        List<EngagementEvent> events = new ArrayList<>(userEvents);
        events.sort(Comparator.comparingLong(EngagementEvent::eventTimeMs));
        List<List<EngagementEvent>> sessions = new ArrayList<>();
        for (EngagementEvent e : events) {
            List<EngagementEvent> current = sessions.isEmpty() ? null : sessions.get(sessions.size() - 1);
            if (current == null || e.eventTimeMs() - current.get(current.size() - 1).eventTimeMs() > r.inactivityGapMs()) {
                current = new ArrayList<>();
                sessions.add(current);
            }
            current.add(e);
        }
        List<Drop> drops = new ArrayList<>();
        Double baseline = null;
        for (List<EngagementEvent> session : sessions) {
            long end = session.get(session.size() - 1).eventTimeMs();
            if (end + r.inactivityGapMs() + r.latenessMs() >= streamTimeMs) {
                break;
            }
            double asd = session.stream()
                    .filter(e -> e.eventType() == EngagementEventType.VIEW_END && e.dwellMs() > 0)
                    .mapToLong(EngagementEvent::dwellMs).average().orElse(0);
            if (baseline != null && baseline > 0 && (baseline - asd) / baseline >= r.dropThreshold()) {
                drops.add(new Drop(session.get(0).userId(), session.get(0).eventTimeMs(), end, asd, baseline,
                        (baseline - asd) / baseline));
            }
            baseline = baseline == null ? asd : r.emaAlpha() * asd + (1 - r.emaAlpha()) * baseline;
        }
        return drops;
    }
}
