package io.streamfleet.alerts.late;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.streamfleet.alerts.late.board.LateEventBoard;
import io.streamfleet.alerts.late.board.LateKeyStats;
import io.streamfleet.alerts.late.board.LateSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The board on {@code /actuator/prometheus}: per late topic and stage, its top {@code n} keys by late records within
 * the horizon ({@code streamfleet_alerts_late_key_events{topic,stage,key}}), redrawn on every refresh so a key that
 * left the top loses its series. Never more than n × {@value #MAX_SOURCES} series, whatever the number of keys (and
 * whatever stage names records carry; the fleet has four topic/stage pairs). Plus the board's size and evictions.
 */
public final class LateEventGauges {

    /** Topic/stage pairs on the gauge at most (those with most late records first). */
    static final int MAX_SOURCES = 8;
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
            board.topPerSource(topKeys, nowMs).entrySet().stream()
                    .sorted(Comparator.comparingLong((Map.Entry<LateSource, List<LateKeyStats>> e) ->
                            e.getValue().get(0).count()).reversed())
                    .limit(MAX_SOURCES)
                    .forEach(source -> source.getValue().forEach(stats -> rows.add(MultiGauge.Row.of(
                            Tags.of("topic", stats.topic(), "stage", stats.stage(), "key", stats.key()),
                            stats.count()))));
        }
        perKey.register(rows, true);
    }
}
