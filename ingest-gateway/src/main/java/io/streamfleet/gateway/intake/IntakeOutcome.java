package io.streamfleet.gateway.intake;

import java.util.List;

/** What the intake made of one request body: a refusal of the whole request, or one item per event. */
public sealed interface IntakeOutcome {

    record Refused(Refusal refusal, String detail) implements IntakeOutcome {
    }

    record Batch(List<IntakeItem> items) implements IntakeOutcome {

        public Batch {
            items = List.copyOf(items);
        }

        public List<IntakeItem.Valid> valid() {
            return items.stream().filter(IntakeItem.Valid.class::isInstance).map(IntakeItem.Valid.class::cast).toList();
        }
    }
}
