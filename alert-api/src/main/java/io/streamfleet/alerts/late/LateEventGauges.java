package io.streamfleet.alerts.late;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.streamfleet.alerts.late.board.LateEventBoard;
import io.streamfleet.alerts.late.board.LateKeyStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The board on {@code /actuator/prometheus}: per late topic, its top {@code n} keys by late records within the
 * horizon ({@code streamfleet_alerts_late_key_events{topic,key}}), redrawn on every refresh so a key that left the top
 * loses its series; never more than n series per topic, whatever the number of keys. Plus the board's size and
 * evictions.
 */
public final class LateEventGauges {

    private final LateEventBoard board;
    private final int topKeys;
    private final MultiGauge perKey;

    public LateEventGauges(LateEventBoard board, int topKeys, MeterRegistry registry) {
        if (topKeys < 0) {
            throw new IllegalArgumentException("late-events gauge-top-keys must not be negative, was " + topKeys);
        }
        this.board = board;
        this.topKeys = topKeys;
        this.perKey = MultiGauge.builder("streamfleet.alerts.late.key.events")
                .description("Late records of one of a late topic's top keys within the horizon").register(registry);
        Gauge.builder("streamfleet.alerts.late.keys", board, LateEventBoard::size)
                .description("Keys with a late record within the horizon held by the late-events view")
                .register(registry);
        Gauge.builder("streamfleet.alerts.late.evicted.keys", board, LateEventBoard::evictedKeys)
                .description("Keys dropped from the late-events view because it was full (since start)")
                .register(registry);
    }

    /** Expires what left the horizon and redraws the per-key series. */
    public void refresh(long nowMs) {
        board.expire(nowMs);
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        if (topKeys > 0) {
            for (Map.Entry<String, List<LateKeyStats>> topic : board.topPerTopic(topKeys, nowMs).entrySet()) {
                for (LateKeyStats stats : topic.getValue()) {
                    rows.add(MultiGauge.Row.of(Tags.of("topic", topic.getKey(), "key", stats.key()),
                            stats.count()));
                }
            }
        }
        perKey.register(rows, true);
    }
}
