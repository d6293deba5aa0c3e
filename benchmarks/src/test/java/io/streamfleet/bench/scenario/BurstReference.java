package io.streamfleet.bench.scenario;

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
 * The detection rule (docs/cep-detector.md#detection-rule) read literally, over one key's whole stream at once, as the
 * oracle for the generator's ground truth. Written without looking at the generator: quadratic, recomputes every set
 * per candidate.
 */
final class BurstReference {

    /** One evaluated candidate with the outcome of each rule. */
    record Candidate(OrderEvent anchor, List<OrderEvent> burst, List<OrderEvent> cancels, List<Long> levels,
                     boolean enoughCreates, boolean enoughCancels, boolean ratioReached, boolean enoughLevels) {

        boolean matches() {
            return enoughCreates && enoughCancels && ratioReached && enoughLevels;
        }

        long windowStartMs() {
            return burst.stream().mapToLong(OrderEvent::eventTimeMs).min().orElseThrow();
        }

        long windowEndMs() {
            long b = burst.stream().mapToLong(OrderEvent::eventTimeMs).max().orElseThrow();
            return Math.max(b, cancels.stream().mapToLong(OrderEvent::eventTimeMs).max().orElse(b));
        }
    }

    private static final Comparator<OrderEvent> ORDER = Comparator.comparingLong(OrderEvent::eventTimeMs)
            .thenComparing(OrderEvent::eventId);

    private BurstReference() {
    }

    /** Every candidate evaluated for one key's events, in evaluation order. */
    static List<Candidate> evaluate(List<OrderEvent> keyEvents, BurstRules r) {
        List<OrderEvent> events = new ArrayList<>(keyEvents);
        events.sort(ORDER);
        Set<String> consumed = new HashSet<>();
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            OrderEvent c = events.get(i);
            if (c.eventType() != OrderEventType.CREATED || consumed.contains(c.eventId())) {
                continue;
            }
            OrderEvent next = null;
            for (int j = i + 1; j < events.size(); j++) {
                OrderEvent e = events.get(j);
                if (!consumed.contains(e.eventId()) && e.eventType() != OrderEventType.FILLED) {
                    next = e;
                    break;
                }
            }
            if (next == null || next.eventType() != OrderEventType.CANCELLED) {
                continue;
            }
            List<OrderEvent> burst = new ArrayList<>();
            List<OrderEvent> cancels = new ArrayList<>();
            for (int j = 0; j < events.size(); j++) {
                OrderEvent e = events.get(j);
                if (consumed.contains(e.eventId())) {
                    continue;
                }
                if (j <= i && e.eventType() == OrderEventType.CREATED
                        && e.eventTimeMs() >= c.eventTimeMs() - r.burstWindowMs()) {
                    burst.add(e);
                }
                if (j > i && e.eventType() == OrderEventType.CANCELLED
                        && e.eventTimeMs() <= c.eventTimeMs() + r.cancelWindowMs()) {
                    cancels.add(e);
                }
            }
            TreeSet<Long> levels = new TreeSet<>();
            burst.forEach(e -> levels.add(new BigDecimal(Double.toString(e.price()))
                    .divide(r.tickSize(), 0, RoundingMode.HALF_UP).longValue()));
            BigDecimal ratio = new BigDecimal(Math.min(burst.size(), cancels.size()))
                    .divide(new BigDecimal(burst.size()), 30, RoundingMode.DOWN);
            Candidate candidate = new Candidate(c, burst, cancels, List.copyOf(levels),
                    burst.size() >= r.minCreates(), cancels.size() >= r.minCancels(),
                    ratio.compareTo(r.minCancelRatio()) >= 0, levels.size() >= r.minPriceLevels());
            out.add(candidate);
            if (candidate.matches()) {
                OrderEvent last = cancels.get(cancels.size() - 1);
                events.stream().filter(e -> ORDER.compare(e, last) <= 0).forEach(e -> consumed.add(e.eventId()));
            }
        }
        return out;
    }

    static List<Candidate> matches(List<OrderEvent> keyEvents, BurstRules r) {
        return evaluate(keyEvents, r).stream().filter(Candidate::matches).toList();
    }
}
