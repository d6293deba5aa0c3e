package io.streamfleet.cepbaseline;

import io.streamfleet.cep.burst.BurstPattern;
import io.streamfleet.cep.burst.BurstSettings;
import io.streamfleet.cep.burst.PriceLevels;
import io.streamfleet.contracts.event.OrderEvent;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The post-filter of the detection rule (docs/cep-detector.md#detection-rule) on a Flink match:
 * {@code min(|C|,|B|)/|B| >= minCancelRatio} compared exactly in decimal, and at least {@code minPriceLevels} distinct
 * tick levels in the creates (cep-detector's {@link PriceLevels}).
 */
final class BurstPostFilter extends PatternProcessFunction<OrderEvent, Detection> {

    private final BigDecimal minCancelRatio;
    private final int minPriceLevels;
    private final BigDecimal tickSize;
    private transient PriceLevels levels;

    BurstPostFilter(BurstSettings settings) {
        this.minCancelRatio = settings.minCancelRatio();
        this.minPriceLevels = settings.minPriceLevels();
        this.tickSize = settings.tickSize();
    }

    @Override
    public void processMatch(Map<String, List<OrderEvent>> match, Context ctx, Collector<Detection> out) {
        List<OrderEvent> creates = match.get(BurstPattern.CREATES);
        List<OrderEvent> cancels = match.get(BurstPattern.CANCELS);
        int created = creates.size();
        int canceled = cancels.size();
        BigDecimal cancelledPart = BigDecimal.valueOf(Math.min(canceled, created));
        if (cancelledPart.compareTo(minCancelRatio.multiply(BigDecimal.valueOf(created))) < 0) {
            return;
        }
        List<Double> prices = new ArrayList<>(created);
        for (OrderEvent create : creates) {
            prices.add(create.price());
        }
        if (levels == null) {
            levels = new PriceLevels(tickSize);
        }
        if (levels.distinctLevels(prices).size() < minPriceLevels) {
            return;
        }
        OrderEvent first = creates.get(0);
        OrderEvent last = cancels.get(canceled - 1);
        out.collect(new Detection(first.key(), first.eventId(), created, canceled, first.eventTimeMs(),
                last.eventTimeMs()));
    }
}
