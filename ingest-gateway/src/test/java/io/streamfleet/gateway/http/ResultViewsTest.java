package io.streamfleet.gateway.http;

import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.validation.FieldError;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.intake.IntakeItem;
import io.streamfleet.gateway.intake.ItemResult;
import io.streamfleet.gateway.intake.PublishFailure;
import io.streamfleet.gateway.intake.RejectReason;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The 2xx body written straight to bytes is, byte for byte, the result map the problem responses serialise. */
class ResultViewsTest {

    @Test
    void shouldWriteTheSameDocumentAsTheResultMap() {
        IntakeItem.Valid a = new IntakeItem.Valid(0, "e-1", EventKind.ORDER, "acc|S", new byte[0], 1);
        IntakeItem.Valid b = new IntakeItem.Valid(2, "e-\u00e9\"3", EventKind.ENGAGEMENT, "u", new byte[0], 1);
        IntakeItem.Invalid c = new IntakeItem.Invalid(1, null, EventKind.ORDER, RejectReason.WRONG_TYPE,
                List.of(new FieldError("qty", "must be an integer, was a string"), new FieldError("$", "x\ny")));
        List<ItemResult> results = List.of(
                ItemResult.accepted(a, "orders.raw", 3, 1_234_567_890_123L),
                ItemResult.rejected(c),
                ItemResult.unavailable(b, PublishFailure.TIMEOUT),
                ItemResult.accepted(b, "engagement.raw", 0, 0));
        assertThat(new String(ResultViews.summaryJson(results)))
                .isEqualTo(ContractMapper.shared().writeValueAsString(ResultViews.summary(results)));
        assertThat(new String(ResultViews.summaryJson(List.of())))
                .isEqualTo(ContractMapper.shared().writeValueAsString(ResultViews.summary(List.of())));
    }
}
