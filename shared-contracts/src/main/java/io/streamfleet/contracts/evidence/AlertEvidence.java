package io.streamfleet.contracts.evidence;

import io.streamfleet.contracts.event.OrderEvent;

import java.util.List;

/**
 * The matched orders behind one burst-create / mass-cancel alert, written to {@code alerts.evidence} in the same
 * transaction as the alert (docs/cep-detector.md#evidence). Bounded: at most a configured number of orders per
 * alert; when an episode had more, {@link #orders} is an evenly spaced sample that keeps the first and last order of
 * each stage, and {@link #totalCreated}/{@link #totalCanceled} still give the full counts.
 *
 * @param alertId         the alert this explains
 * @param accountId       account
 * @param symbol          symbol
 * @param tickSize        price tick used for levels
 * @param burstStartMs    start of the burst window (anchor time − burst window)
 * @param anchorMs        time of the last create of the burst (the candidate's anchor)
 * @param cancelEndMs     end of the cancel window (anchor time + cancel window)
 * @param totalCreated    creates in the burst
 * @param totalCanceled   cancels in the cancel window
 * @param orders          the orders kept, in (eventTimeMs, eventId) order
 */
public record AlertEvidence(String alertId, String accountId, String symbol, double tickSize, long burstStartMs,
                            long anchorMs, long cancelEndMs, int totalCreated, int totalCanceled,
                            List<EvidenceOrder> orders) {

    public AlertEvidence {
        orders = orders == null ? List.of() : List.copyOf(orders);
    }

    /** Record key: the alert's subject, so evidence and alert share a partition. */
    public String key() {
        return OrderEvent.keyOf(accountId, symbol);
    }

    /** Whether {@link #orders} is a sample rather than every matched order. */
    public boolean truncated() {
        return orders.size() < totalCreated + totalCanceled;
    }

    /**
     * One matched order.
     *
     * @param eventId     event id
     * @param orderId     order id, may be null
     * @param eventType   CREATED or CANCELLED
     * @param eventTimeMs event time
     * @param price       price
     * @param priceLevel  round(price / tick)
     */
    public record EvidenceOrder(String eventId, String orderId, String eventType, long eventTimeMs, double price,
                                long priceLevel) {
    }
}
