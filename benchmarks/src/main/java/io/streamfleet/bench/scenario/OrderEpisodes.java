package io.streamfleet.bench.scenario;

import io.streamfleet.contracts.Decimals;
import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.id.AlertIds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Builds the events of one labelled order episode or near-miss on its own key, and its ground truth by construction.
 * Event times within a label are distinct, so (time, id) order is time order.
 */
final class OrderEpisodes {

    /** A built label: its events in event-time order and its ground truth. */
    record Built(List<OrderEvent> events, Label label) {
    }

    private final BurstRules rules;
    private final Supplier<String> ids;

    OrderEpisodes(BurstRules rules, Supplier<String> ids) {
        this.rules = rules;
        this.ids = ids;
    }

    Built build(String labelId, OrderVariant variant, String accountId, String symbol, long firstEventMs,
                long baseLevel, SplittableRandom rng) {
        long t1 = rules.burstWindowMs();
        long t2 = rules.cancelWindowMs();
        int minCreates = rules.minCreates();
        int minCancels = rules.minCancels();
        int minLevels = rules.minPriceLevels();
        Shape shape = switch (variant) {
            case EPISODE -> {
                int n = minCreates + rng.nextInt(7);
                int m = Math.max(minCancels, ratioCeil(n)) + rng.nextInt(3);
                yield new Shape(n, m, minLevels + rng.nextInt(4), 200 + rng.nextInt((int) t1 - 400), -1, t2, 0);
            }
            case BOUNDARY -> new Shape(minCreates, minCancels, minLevels, t1, -1, t2, 0);
            case INTERLEAVED -> {
                int n = minCreates + rng.nextInt(5);
                yield new Shape(n, Math.max(minCancels, ratioCeil(n)), minLevels + 1, 1_200, n / 2, t2, 0);
            }
            case NEAR_MISS_CREATES -> new Shape(minCreates - 1, minCancels, minLevels, 900, -1, t2, 0);
            case NEAR_MISS_LEVELS -> new Shape(minCreates, minCancels + 1, minLevels - 1, 900, -1, t2, 0);
            case NEAR_MISS_RATIO -> {
                int n = closestBelowRatio();
                yield new Shape(n, ratioCeil(n) - 1, minLevels, 1_500, -1, t2, 0);
            }
            case NEAR_MISS_CANCEL_WINDOW -> new Shape(minCreates, minCancels, minLevels, 900, -1, t2, 1);
            case NEAR_MISS_BURST_WINDOW -> new Shape(minCreates, minCancels, minLevels, t1 + 1, -1, t2, 0);
        };
        return assemble(labelId, variant, accountId, symbol, firstEventMs, baseLevel, shape, rng);
    }

    /** Creates n at `levels` levels spread over `span` ms (first to last); m cancels after the last create. */
    private record Shape(int creates, int cancels, int levels, long span, int strayAfter, long cancelSpan,
                         int cancelsBeyondWindow) {
    }

    private Built assemble(String labelId, OrderVariant variant, String accountId, String symbol, long first,
                           long baseLevel, Shape s, SplittableRandom rng) {
        long[] createTimes = spread(first, s.span(), s.creates(), rng);
        while (s.strayAfter() >= 0 && createTimes[s.strayAfter() + 1] - createTimes[s.strayAfter()] < 2) {
            createTimes = spread(first, s.span(), s.creates(), rng);
        }
        long[] levels = new long[s.levels()];
        for (int k = 0; k < levels.length; k++) {
            levels[k] = k == 0 ? baseLevel : levels[k - 1] + 1 + rng.nextInt(3);
        }
        long anchor = createTimes[s.creates() - 1];
        List<OrderEvent> events = new ArrayList<>();
        List<OrderEvent> creates = new ArrayList<>();
        Side side = rng.nextBoolean() ? Side.BUY : Side.SELL;
        for (int i = 0; i < s.creates(); i++) {
            long level = levels[i % levels.length];
            OrderEvent create = order(accountId, symbol, OrderEventType.CREATED, null, side, level,
                    createTimes[i], rng);
            creates.add(create);
            events.add(create);
            if (i == s.strayAfter()) {
                long strayTime = createTimes[i] + (createTimes[i + 1] - createTimes[i]) / 2;
                events.add(cancelOf(creates.get(0), strayTime));
            }
        }
        int inWindow = s.cancels() - s.cancelsBeyondWindow();
        long[] cancelTimes = spread(anchor + 1, s.cancelSpan() - 1, inWindow, rng);
        List<OrderEvent> cancels = new ArrayList<>();
        for (int i = 0; i < s.cancels(); i++) {
            long time = i < inWindow ? cancelTimes[i] : anchor + s.cancelSpan() + i - inWindow + 1;
            OrderEvent cancel = cancelOf(creates.get((i + 1) % creates.size()), time);
            cancels.add(cancel);
            events.add(cancel);
        }
        return new Built(List.copyOf(events), label(labelId, variant, accountId, symbol, creates, cancels, s));
    }

    private Label label(String labelId, OrderVariant variant, String accountId, String symbol,
                        List<OrderEvent> creates, List<OrderEvent> cancels, Shape s) {
        String key = OrderEvent.keyOf(accountId, symbol);
        List<String> ids = new ArrayList<>();
        creates.forEach(e -> ids.add(e.eventId()));
        cancels.forEach(e -> ids.add(e.eventId()));
        if (!variant.mustAlert()) {
            return new Label(labelId, AlertType.BURST_CREATE_MASS_CANCEL, variant.name(), false, key, null,
                    missedRule(variant, s), Map.of(), ids);
        }
        TreeSet<Long> levels = new TreeSet<>();
        creates.forEach(e -> levels.add(rules.levelOf(e.price())));
        long start = creates.get(0).eventTimeMs();
        long end = cancels.get(cancels.size() - 1).eventTimeMs();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("accountId", accountId);
        expected.put("symbol", symbol);
        expected.put("windowStartMs", start);
        expected.put("windowEndMs", end);
        expected.put("created", creates.size());
        expected.put("canceled", cancels.size());
        expected.put("cancelRatio", Decimals.ratioHalfUp(Math.min(cancels.size(), creates.size()), creates.size(), 3));
        expected.put("uniquePriceLevels", levels.size());
        expected.put("createdPriceLevels", List.copyOf(levels));
        return new Label(labelId, AlertType.BURST_CREATE_MASS_CANCEL, variant.name(), true, key,
                AlertIds.anomaly(accountId, symbol, start, creates.get(0).eventId()), null, expected, ids);
    }

    private String missedRule(OrderVariant variant, Shape s) {
        return switch (variant) {
            case NEAR_MISS_CREATES -> "created " + s.creates() + " < " + rules.minCreates();
            case NEAR_MISS_LEVELS -> "price levels " + s.levels() + " < " + rules.minPriceLevels();
            case NEAR_MISS_RATIO -> "cancel ratio " + s.cancels() + "/" + s.creates() + " = "
                    + Decimals.ratioHalfUp(s.cancels(), s.creates(), 3) + " < " + rules.minCancelRatio();
            case NEAR_MISS_CANCEL_WINDOW -> "cancel #" + s.cancels() + " at t(c) + T2 + 1 ms (outside the "
                    + rules.cancelWindowMs() + " ms cancel window)";
            case NEAR_MISS_BURST_WINDOW -> "first create at t(c) - T1 - 1 ms (outside the "
                    + rules.burstWindowMs() + " ms burst window)";
            default -> throw new IllegalArgumentException(variant + " is not a near-miss");
        };
    }

    /** Smallest number of cancels that reaches the minimum ratio for n creates. */
    private int ratioCeil(int n) {
        return rules.minCancelRatio().multiply(java.math.BigDecimal.valueOf(n))
                .setScale(0, java.math.RoundingMode.CEILING).intValueExact();
    }

    /**
     * The burst size in [minCreates, minCreates + 9] whose best ratio below the minimum, (ceil(r·n) − 1) / n, comes
     * closest to it while keeping at least minCancels cancels (defaults: 15/19 = 0.789).
     */
    private int closestBelowRatio() {
        int best = -1;
        double bestRatio = -1;
        for (int n = rules.minCreates(); n <= rules.minCreates() + 9; n++) {
            int m = ratioCeil(n) - 1;
            double ratio = (double) m / n;
            if (m >= rules.minCancels() && ratio > bestRatio) {
                best = n;
                bestRatio = ratio;
            }
        }
        if (best < 0) {
            throw new IllegalStateException("no ratio near-miss possible with " + rules);
        }
        return best;
    }

    /** n distinct, increasing times from first to first + span (both ends included when n ≥ 2). */
    private static long[] spread(long first, long span, int n, SplittableRandom rng) {
        if (span < n - 1) {
            throw new IllegalArgumentException("cannot place " + n + " distinct times in " + span + " ms");
        }
        TreeSet<Long> times = new TreeSet<>();
        times.add(first);
        if (n > 1) {
            times.add(first + span);
        }
        while (times.size() < n) {
            times.add(first + 1 + rng.nextLong(Math.max(1, span - 1)));
        }
        return times.stream().mapToLong(Long::longValue).toArray();
    }

    private OrderEvent order(String accountId, String symbol, OrderEventType type, String orderId, Side side,
                             long level, long timeMs, SplittableRandom rng) {
        String id = ids.get();
        return new OrderEvent(id, accountId, symbol, type, orderId == null ? "o-" + id : orderId, side,
                rules.priceAt(level), 1 + rng.nextInt(50) * 10L, timeMs);
    }

    private OrderEvent cancelOf(OrderEvent create, long timeMs) {
        return new OrderEvent(ids.get(), create.accountId(), create.symbol(), OrderEventType.CANCELLED,
                create.orderId(), create.side(), create.price(), create.qty(), timeMs);
    }
}
