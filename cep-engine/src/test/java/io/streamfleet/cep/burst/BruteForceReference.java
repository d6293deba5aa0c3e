package io.streamfleet.cep.burst;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The detection rule (docs/cep-detector.md#detection-rule) read literally, written independently of the engine as a
 * test oracle: sees the whole key's stream at once, walks the CREATED events in (time, id) order and recomputes every
 * set from scratch. Quadratic, obviously.
 */
final class BruteForceReference {

    /** What the oracle reports per episode. */
    record Episode(long windowStartMs, long windowEndMs, int created, int canceled, List<Long> levels,
                   String firstEventId) {
    }

    private BruteForceReference() {
    }

    static List<Episode> detect(List<OrderEvent> stream, BurstSettings s) {
        List<OrderEvent> events = new ArrayList<>(stream);
        events.sort(Comparator.comparingLong(OrderEvent::eventTimeMs).thenComparing(OrderEvent::eventId));
        Set<String> consumed = new HashSet<>();
        List<Episode> episodes = new ArrayList<>();
        long t1 = s.burstWindow().toMillis();
        long t2 = s.cancelWindow().toMillis();
        for (int ci = 0; ci < events.size(); ci++) {
            OrderEvent c = events.get(ci);
            if (c.eventType() != OrderEventType.CREATED || consumed.contains(c.eventId())) {
                continue;
            }
            OrderEvent next = null;
            for (int j = ci + 1; j < events.size() && next == null; j++) {
                OrderEvent e = events.get(j);
                if (!consumed.contains(e.eventId()) && e.eventType() != OrderEventType.FILLED) {
                    next = e;
                }
            }
            if (next == null || next.eventType() != OrderEventType.CANCELLED) {
                continue;
            }
            List<OrderEvent> b = new ArrayList<>();
            for (int j = 0; j <= ci; j++) {
                OrderEvent e = events.get(j);
                if (e.eventType() == OrderEventType.CREATED && !consumed.contains(e.eventId())
                        && e.eventTimeMs() >= c.eventTimeMs() - t1 && e.eventTimeMs() <= c.eventTimeMs()) {
                    b.add(e);
                }
            }
            List<OrderEvent> cs = new ArrayList<>();
            for (int j = ci + 1; j < events.size(); j++) {
                OrderEvent e = events.get(j);
                if (e.eventType() == OrderEventType.CANCELLED && !consumed.contains(e.eventId())
                        && e.eventTimeMs() <= c.eventTimeMs() + t2) {
                    cs.add(e);
                }
            }
            TreeSet<Long> levels = new TreeSet<>();
            for (OrderEvent e : b) {
                levels.add(new BigDecimal(Double.toString(e.price())).divide(s.tickSize(), 0, RoundingMode.HALF_UP)
                        .longValue());
            }
            boolean ratio = !b.isEmpty() && new BigDecimal(Math.min(cs.size(), b.size()))
                    .divide(new BigDecimal(b.size()), 20, RoundingMode.DOWN).compareTo(s.minCancelRatio()) >= 0;
            if (b.size() >= s.minCreates() && cs.size() >= s.minCancels() && ratio
                    && levels.size() >= s.minPriceLevels()) {
                long start = b.stream().mapToLong(OrderEvent::eventTimeMs).min().orElseThrow();
                long end = Math.max(b.stream().mapToLong(OrderEvent::eventTimeMs).max().orElseThrow(),
                        cs.stream().mapToLong(OrderEvent::eventTimeMs).max().orElseThrow());
                episodes.add(new Episode(start, end, b.size(), cs.size(), List.copyOf(levels), b.get(0).eventId()));
                OrderEvent lastCancel = cs.get(cs.size() - 1);
                for (OrderEvent e : events) {
                    if (Comparator.comparingLong(OrderEvent::eventTimeMs).thenComparing(OrderEvent::eventId)
                            .compare(e, lastCancel) <= 0) {
                        consumed.add(e.eventId());
                    }
                }
            }
        }
        return episodes;
    }
}
