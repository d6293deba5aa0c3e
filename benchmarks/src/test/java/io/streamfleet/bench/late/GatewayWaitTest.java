package io.streamfleet.bench.late;

import io.streamfleet.bench.scenario.BenchEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.streamfleet.bench.late.ClientLatenessTest.engagement;
import static io.streamfleet.bench.late.ClientLatenessTest.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Placing the on-time orders a stage diverted: the time from the driver's wire to the gateway's ingestion stamp, and
 * their age when the gateway parsed them.
 */
class GatewayWaitTest {

    private static final long T = 1_790_000_000_000L;

    @Test
    void shouldMeasureTheWaitBeforeTheGatewaysParseAndCountOrdersAlreadyLateWhenParsed() {
        List<BenchEvent> stream = List.of(
                order("a", T, 0),              // sent at T+500, parsed at T+4 500: waited 4 s in front, 4.5 s old
                order("b", T + 1_000, 1_000),  // sent at T+2 000, parsed at T+2 100: 1.1 s old, lost its time later
                order("c", T + 2_000, 2_000),  // on time and not diverted: ignored
                engagement("e", T, 0),         // engagement runs on another clock: ignored
                order("d", T + 3_000, 3_000)); // diverted but never sent: ignored
        long[] sent = {T + 500, T + 2_000, T + 2_100, T + 100, ClientLateness.NO_SEND};
        Map<String, Long> stamps = Map.of("a", T + 4_500, "b", T + 2_100, "c", T + 2_200, "e", T + 9_000,
                "d", T + 3_500);

        GatewayWait wait = GatewayWait.of(stream, Set.of("a", "b", "e", "d"), i -> sent[i], stamps, 3_000);

        assertThat(wait.orders()).isEqualTo(2);
        assertThat(wait.lateAtIngest()).as("only a was older than 3 s when parsed").isEqualTo(1);
        assertThat(wait.wireToIngestMs().getMaxValue()).isBetween(3_990L, 4_010L);
        assertThat(wait.wireToIngestMs().getMinValue()).isBetween(99L, 101L);
        assertThat(wait.ageAtIngestMs().getMaxValue()).isBetween(4_490L, 4_510L);
        assertThat(wait.describe()).contains("2 carried the gateway's ingestion stamp").contains("1 already older");
    }

    @Test
    void shouldSayNothingWhenNoDivertedOrderCarriesAStamp() {
        GatewayWait wait = GatewayWait.of(List.of(order("a", T, 0)), Set.of("a"), i -> T, Map.of(), 3_000);

        assertThat(wait.orders()).isZero();
        assertThat(wait.describe()).isEmpty();
    }
}
