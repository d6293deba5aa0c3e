package io.streamfleet.cepbaseline;

import io.streamfleet.cep.burst.BurstPattern;
import io.streamfleet.cep.burst.BurstSettings;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

import java.time.Duration;

/**
 * The detection rule written as Flink CEP (docs/cep-detector.md#how-this-differs-from-flink-cep):
 * {@code begin("creates").where(CREATED).timesOrMore(minCreates)} →
 * {@code followedBy("cancels").where(CANCELLED).timesOrMore(minCancels).greedy()}, {@code skipPastLastEvent}; the
 * ratio and price-level rules are the post-filter ({@link BurstPostFilter}). Flink has one time bound per match,
 * so the windows come in two variants.
 */
public final class FlinkBurstPattern {

    /** How the two stage windows T1 and T2 become Flink's single whole-match window. */
    public enum Window {
        /**
         * {@code within(T1 + T2)} on the whole match: the longest episode the detection rule accepts (burst up to T1
         * before the anchor, cancels up to T2 after it) fits, so Flink can find the same episodes. The main comparison.
         */
        EPISODE,
        /**
         * The detection rule written literally, {@code within(T1)} on creates and {@code within(T2)} on cancels. Flink
         * keeps the smallest {@code within} of a chain for the whole match, so a whole episode must fit in T2.
         */
        RULE_LITERAL
    }

    private FlinkBurstPattern() {
    }

    public static Pattern<OrderEvent, ?> of(BurstSettings settings, Window window) {
        Pattern<OrderEvent, OrderEvent> creates = Pattern.<OrderEvent>begin(BurstPattern.CREATES,
                        AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(e -> e.eventType() == OrderEventType.CREATED))
                .timesOrMore(settings.minCreates());
        if (window == Window.RULE_LITERAL) {
            creates = creates.within(settings.burstWindow());
        }
        Pattern<OrderEvent, OrderEvent> cancels = creates.followedBy(BurstPattern.CANCELS)
                .where(SimpleCondition.of(e -> e.eventType() == OrderEventType.CANCELLED))
                .timesOrMore(settings.minCancels())
                .greedy();
        Duration whole = window == Window.RULE_LITERAL
                ? settings.cancelWindow()
                : settings.burstWindow().plus(settings.cancelWindow());
        return cancels.within(whole);
    }
}
