package io.streamfleet.alerts.late;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.alerts.late.board.LateEventBoard;
import io.streamfleet.alerts.late.board.LateRecord;
import org.junit.jupiter.api.Test;

import java.util.Collection;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-key gauge stays bounded and follows the board: top keys per topic/stage only, redrawn on refresh. */
class LateEventGaugesTest {

    private static final long NOW = 1_800_000_000_000L;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LateEventBoard board = new LateEventBoard(60_000, 100_000);
    private final LateEventGauges gauges = new LateEventGauges(board, 3, registry);

    @Test
    void shouldShowOnlyTheTopKeysOfEachTopicAndStageWhenManyKeysAreLate() {
        for (int key = 0; key < 1_000; key++) {
            for (int n = 0; n <= key % 7; n++) {
                board.record(new LateRecord("orders.late", "stream-processor", "k" + key, NOW, 1, NOW));
            }
        }
        board.record(new LateRecord("engagement.late", "session-analytics", "u", NOW, 1, NOW));

        gauges.refresh(NOW);

        Collection<Gauge> orders = registry.find("streamfleet.alerts.late.key.events").tag("topic", "orders.late")
                .gauges();
        assertThat(orders).hasSize(3).allSatisfy(g -> assertThat(g.value()).isEqualTo(7));
        assertThat(registry.get("streamfleet.alerts.late.key.events").tag("stage", "session-analytics").gauge()
                .value()).isEqualTo(1);
        assertThat(registry.get("streamfleet.alerts.late.keys").gauge().value()).isEqualTo(1_001);
    }

    @Test
    void shouldCapTheSeriesWhenRecordsCarryManyStageNames() {
        for (int stage = 0; stage < 50; stage++) {
            for (int key = 0; key < 10; key++) {
                board.record(new LateRecord("orders.late", "stage-" + stage, "k" + key, NOW, 1, NOW));
            }
        }

        gauges.refresh(NOW);

        assertThat(registry.find("streamfleet.alerts.late.key.events").gauges())
                .hasSize(3 * LateEventGauges.MAX_SOURCES);
    }

    @Test
    void shouldDropASeriesWhenItsKeyLeftTheHorizon() {
        board.record(new LateRecord("orders.cep.late", "cep-detector", "gone", NOW, 1, NOW));
        gauges.refresh(NOW);
        assertThat(registry.find("streamfleet.alerts.late.key.events").tag("key", "gone").gauge()).isNotNull();

        gauges.refresh(NOW + 60_000);

        assertThat(registry.find("streamfleet.alerts.late.key.events").tag("key", "gone").gauge()).isNull();
        assertThat(registry.get("streamfleet.alerts.late.keys").gauge().value()).isZero();
    }
}
