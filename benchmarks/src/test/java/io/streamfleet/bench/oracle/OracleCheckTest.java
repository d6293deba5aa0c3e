package io.streamfleet.bench.oracle;

import io.streamfleet.bench.sse.ReceivedAlert;
import io.streamfleet.cep.burst.BurstDetection;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OracleCheckTest {

    private static BurstDetection detection(String account, long start, int created, int canceled) {
        return new BurstDetection(account, "SYM", start, start + 1_500, created, canceled, 1.0, List.of(1L, 2L, 3L),
                account + "-first", account + "-last", -1);
    }

    private static ReceivedAlert alertOf(BurstDetection d, int created) {
        String json = String.format("{\"alertId\":\"%s\",\"type\":\"BURST_CREATE_MASS_CANCEL\",\"accountId\":\"%s\","
                        + "\"symbol\":\"SYM\",\"windowStartMs\":%d,\"windowEndMs\":%d,\"created\":%d,\"canceled\":%d}",
                d.alertId(), d.accountId(), d.windowStartMs(), d.windowEndMs(), created, d.canceled());
        return ReceivedAlert.from("1", json, 0);
    }

    @Test
    void shouldCountEachAlertAsExplainedMismatchedOrUnexplainedAndEachSilentDetectionAsMissing() {
        BurstDetection explained = detection("a", 1_000, 10, 8);
        BurstDetection mismatched = detection("b", 2_000, 12, 10);
        BurstDetection silent = detection("c", 3_000, 10, 9);
        BurstDetection foreign = detection("d", 4_000, 10, 8);

        OracleCheck check = OracleCheck.of(500, List.of(explained, mismatched, silent),
                List.of(alertOf(explained, 10), alertOf(explained, 10), alertOf(mismatched, 11),
                        alertOf(foreign, 10)), "");

        assertThat(check.expected()).isEqualTo(3);
        assertThat(check.alerts()).isEqualTo(3);
        assertThat(check.explained()).isEqualTo(1);
        assertThat(check.fieldMismatches()).isEqualTo(1);
        assertThat(check.unexplained()).isEqualTo(1);
        assertThat(check.missing()).isEqualTo(1);
        assertThat(check.exact()).isFalse();
        assertThat(check.samples()).anyMatch(s -> s.startsWith("unexplained " + foreign.alertId()))
                .anyMatch(s -> s.startsWith("missing " + silent.alertId()));
    }

    @Test
    void shouldBeExactWhenEveryAlertMatchesADetectionAndNothingIsMissing() {
        BurstDetection d = detection("a", 1_000, 10, 8);

        OracleCheck check = OracleCheck.of(20, List.of(d), List.of(alertOf(d, 10)), "");

        assertThat(check.exact()).isTrue();
        assertThat(check.samples()).isEmpty();
    }

    @Test
    void shouldNotBeExactWhenTheInputWasNotReadCompletely() {
        assertThat(OracleCheck.of(0, List.of(), List.of(), "orders.clean: not read to its end").exact()).isFalse();
    }
}
