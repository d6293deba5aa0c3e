package io.streamfleet.cep.burst;

import io.streamfleet.cep.engine.pattern.Match;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.evidence.AlertEvidence;
import io.streamfleet.contracts.evidence.AlertEvidence.EvidenceOrder;

import java.util.ArrayList;
import java.util.List;

/**
 * The matched orders of an accepted match as the console draws them (docs/cep-detector.md#evidence). An episode can
 * hold any number of orders (a runaway algorithm may place thousands in the burst window), so the record is capped at
 * {@code maxOrders}: above it each stage keeps an evenly spaced sample, first and last order included, in proportion
 * to its size. The totals always give the full counts.
 */
public final class BurstEvidence {

    /** Smallest cap: room for the first and last order of both stages. */
    public static final int MIN_ORDERS = 4;

    private final BurstSettings settings;
    private final PriceLevels levels;
    private final int maxOrders;

    public BurstEvidence(BurstSettings settings, int maxOrders) {
        if (maxOrders < MIN_ORDERS) {
            throw new IllegalArgumentException("evidence max orders must be >= " + MIN_ORDERS + ", was " + maxOrders);
        }
        this.settings = settings;
        this.levels = new PriceLevels(settings.tickSize());
        this.maxOrders = maxOrders;
    }

    public int maxOrders() {
        return maxOrders;
    }

    public AlertEvidence of(String alertId, Match<TrackedOrder> match) {
        List<TrackedOrder> creates = match.events(BurstPattern.CREATES);
        List<TrackedOrder> cancels = match.events(BurstPattern.CANCELS);
        OrderEvent first = creates.get(0).order();
        long anchor = match.anchor().order().eventTimeMs();
        int total = creates.size() + cancels.size();
        int createsKept = total <= maxOrders ? creates.size() : share(creates.size(), total);
        int cancelsKept = total <= maxOrders ? cancels.size() : Math.min(cancels.size(), maxOrders - createsKept);
        List<EvidenceOrder> orders = new ArrayList<>(createsKept + cancelsKept);
        sample(creates, createsKept).forEach(o -> orders.add(order(o.order())));
        sample(cancels, cancelsKept).forEach(o -> orders.add(order(o.order())));
        return new AlertEvidence(alertId, first.accountId(), first.symbol(), settings.tickSize().doubleValue(),
                anchor - settings.burstWindow().toMillis(), anchor, anchor + settings.cancelWindow().toMillis(),
                creates.size(), cancels.size(), orders);
    }

    /** The creates' part of the cap: proportional, leaving at least two places for the cancels. */
    private int share(int creates, int total) {
        long proportional = Math.round((double) maxOrders * creates / total);
        return (int) Math.max(Math.min(2, creates), Math.min(proportional, maxOrders - 2L));
    }

    /** {@code keep} items evenly spaced over the list, the first and the last included (all when keep ≥ size). */
    static <T> List<T> sample(List<T> items, int keep) {
        int size = items.size();
        if (keep >= size) {
            return items;
        }
        if (keep <= 0) {
            return List.of();
        }
        if (keep == 1) {
            return List.of(items.get(0));
        }
        List<T> kept = new ArrayList<>(keep);
        for (int i = 0; i < keep; i++) {
            kept.add(items.get((int) Math.round((double) i * (size - 1) / (keep - 1))));
        }
        return kept;
    }

    private EvidenceOrder order(OrderEvent o) {
        return new EvidenceOrder(o.eventId(), o.orderId(), o.eventType().name(), o.eventTimeMs(), o.price(),
                levels.levelOf(o.price()));
    }
}
