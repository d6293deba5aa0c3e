package io.streamfleet.cepbaseline.rule;

import io.streamfleet.cep.burst.BurstSettings;
import io.streamfleet.cep.burst.PriceLevels;
import io.streamfleet.cepbaseline.Detection;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.math.BigDecimal;

/**
 * The burst-create / mass-cancel rule of docs/cep-detector.md#detection-rule written directly as a Flink keyed
 * function, the way one writes a fixed two-stage pattern in Flink without the CEP library: keyed state (one
 * {@link KeyBuffer} per key: the unconsumed creates and cancels inside the horizon), event-time timers (one per
 * candidate at {@code t(anchor) + T2}, plus one lazily re-armed clean-up timer per key), no per-record allocation
 * beyond what the input already carries, no logging.
 *
 * <p>Per-stage semantics as in the rule: an <em>anchor</em> is a create whose next create-or-cancel is a cancel; once
 * the watermark reaches {@code t(anchor) + T2} its burst {@code B} (unconsumed creates in
 * {@code [t(anchor) − T1, t(anchor)]}) and cancel set {@code C} (cancels after the anchor up to
 * {@code t(anchor) + T2}) are counted, the thresholds are checked (ratio in exact integer arithmetic, price levels with
 * the rule's decimal {@link PriceLevels} only for candidates that pass the counts), and a match consumes every event
 * up to the last cancel of {@code C}. An anchor whose next cancel is already past {@code t(anchor) + T2} has an empty
 * {@code C} and gets no timer.
 *
 * <p>Input contract: each key's events arrive in (eventTimeMs, eventId) order with timestamps assigned and monotonous
 * watermarks, as in this benchmark. An event behind the key's last one is dropped and counted in the accumulator
 * {@value #OUT_OF_ORDER} (our engine-only path drops such events the same way). Out-of-order input would need a
 * sort-by-event-time buffer in front, as both the detector and Flink's CEP operator keep.
 */
public final class BurstRuleFunction extends KeyedProcessFunction<String, OrderEvent, Detection> {

    /** Accumulator name: events dropped for arriving out of (time, id) order within their key. */
    public static final String OUT_OF_ORDER = "burst-out-of-order";

    private final long burstWindowMs;
    private final long cancelWindowMs;
    private final int minCreates;
    private final int minCancels;
    private final long ratioNumerator;
    private final long ratioDenominator;
    private final int minPriceLevels;
    private final BigDecimal tickSize;

    private transient ValueState<KeyBuffer> buffers;
    private transient PriceLevels levels;
    private transient LongCounter outOfOrder;

    public BurstRuleFunction(BurstSettings settings) {
        this.burstWindowMs = settings.burstWindow().toMillis();
        this.cancelWindowMs = settings.cancelWindow().toMillis();
        this.minCreates = settings.minCreates();
        this.minCancels = settings.minCancels();
        BigDecimal ratio = settings.minCancelRatio().scale() < 0
                ? settings.minCancelRatio().setScale(0) : settings.minCancelRatio();
        this.ratioNumerator = ratio.unscaledValue().longValueExact();
        this.ratioDenominator = BigDecimal.ONE.scaleByPowerOfTen(ratio.scale()).longValueExact();
        this.minPriceLevels = settings.minPriceLevels();
        this.tickSize = settings.tickSize();
    }

    @Override
    public void open(OpenContext context) {
        buffers = getRuntimeContext().getState(new ValueStateDescriptor<>("burst-buffer", KeyBuffer.class));
        levels = new PriceLevels(tickSize);
        outOfOrder = new LongCounter();
        getRuntimeContext().addAccumulator(OUT_OF_ORDER, outOfOrder);
    }

    @Override
    public void processElement(OrderEvent event, Context ctx, Collector<Detection> out) throws Exception {
        OrderEventType type = event.eventType();
        if (type != OrderEventType.CREATED && type != OrderEventType.CANCELLED) {
            return; // fills take part in nothing
        }
        KeyBuffer b = buffers.value();
        if (b == null) {
            b = new KeyBuffer();
        }
        long time = event.eventTimeMs();
        String id = event.eventId();
        if (time < b.lastTime || time == b.lastTime && id.compareTo(b.lastId) <= 0) {
            outOfOrder.add(1);
            return;
        }
        boolean create = type == OrderEventType.CREATED;
        if (!create && !b.isEmpty() && b.creates[b.last()]) {
            long deadline = b.times[b.last()] + cancelWindowMs;
            if (time <= deadline) {
                b.addAnchor(b.last());
                ctx.timerService().registerEventTimeTimer(deadline);
            }
        }
        b.append(time, id, create, event.price());
        b.lastTime = time;
        b.lastId = id;
        long reach = b.hasPendingAnchor() ? Math.min(time, b.times[b.firstAnchor()]) : time;
        b.dropBefore(reach - burstWindowMs);
        if (b.cleanupAt == Long.MIN_VALUE) {
            b.cleanupAt = time + burstWindowMs + cancelWindowMs;
            ctx.timerService().registerEventTimeTimer(b.cleanupAt);
        }
        buffers.update(b);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Detection> out) throws Exception {
        KeyBuffer b = buffers.value();
        if (b == null) {
            return;
        }
        while (b.hasPendingAnchor() && b.times[b.firstAnchor()] + cancelWindowMs <= timestamp) {
            int anchor = b.firstAnchor();
            b.dropFirstAnchor();
            evaluate(b, anchor, ctx.getCurrentKey(), out);
        }
        if (timestamp == b.cleanupAt) {
            long idleFrom = b.lastTime + burstWindowMs + cancelWindowMs;
            if (idleFrom <= timestamp && !b.hasPendingAnchor()) {
                buffers.clear(); // nothing stored can be part of a future candidate
                return;
            }
            b.cleanupAt = Math.max(idleFrom, timestamp + 1);
            ctx.timerService().registerEventTimeTimer(b.cleanupAt);
        }
        buffers.update(b);
    }

    /** Counts B and C around the anchor, checks the thresholds, and on a match emits it and consumes through C. */
    private void evaluate(KeyBuffer b, int anchor, String key, Collector<Detection> out) {
        long anchorTime = b.times[anchor];
        long since = anchorTime - burstWindowMs;
        int created = 0;
        int first = anchor;
        for (int j = anchor; j >= b.head && b.times[j] >= since; j--) {
            if (b.creates[j]) {
                created++;
                first = j;
            }
        }
        if (created < minCreates) {
            return;
        }
        long until = anchorTime + cancelWindowMs;
        int canceled = 0;
        int lastCancel = -1;
        for (int j = anchor + 1; j < b.size && b.times[j] <= until; j++) {
            if (!b.creates[j]) {
                canceled++;
                lastCancel = j;
            }
        }
        if (canceled < minCancels
                || (long) Math.min(canceled, created) * ratioDenominator < ratioNumerator * created
                || !hasPriceLevels(b, first, anchor)) {
            return;
        }
        out.collect(new Detection(key, b.ids[first], created, canceled, b.times[first], b.times[lastCancel]));
        b.consumeThrough(lastCancel);
    }

    /** Whether the creates from {@code first} to {@code anchor} span at least {@code minPriceLevels} tick levels. */
    private boolean hasPriceLevels(KeyBuffer b, int first, int anchor) {
        long[] seen = new long[minPriceLevels];
        int distinct = 0;
        for (int j = first; j <= anchor && distinct < minPriceLevels; j++) {
            if (!b.creates[j]) {
                continue;
            }
            long level = levels.levelOf(b.prices[j]);
            boolean known = false;
            for (int k = 0; k < distinct && !known; k++) {
                known = seen[k] == level;
            }
            if (!known) {
                seen[distinct++] = level;
            }
        }
        return distinct >= minPriceLevels;
    }
}
