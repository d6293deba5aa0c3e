package io.streamfleet.bench.oracle;

import io.streamfleet.bench.scenario.BurstRules;
import io.streamfleet.cep.burst.BurstDetection;
import io.streamfleet.cep.burst.BurstPattern;
import io.streamfleet.cep.burst.BurstSettings;
import io.streamfleet.cep.burst.TrackedOrder;
import io.streamfleet.cep.engine.compile.CompiledPattern;
import io.streamfleet.cep.engine.pattern.Match;
import io.streamfleet.cep.engine.runtime.KeyState;
import io.streamfleet.cep.engine.runtime.Matcher;
import io.streamfleet.contracts.event.OrderEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The burst-create / mass-cancel detections that a given set of orders implies: the detector's own engine (module
 * cep-engine) run over them offline, per key in (event time, event id) order, with nothing late. Fed the orders the
 * fleet actually passed on as on time ({@code orders.clean}), it says which alerts the fleet owed for the input it
 * really got, whatever the load generator meant to send; the streaming part (arrival order, lateness, restarts,
 * exactly-once) is what the comparison checks.
 */
public final class BurstOracle {

    private final BurstPattern burst;

    public BurstOracle(BurstSettings settings) {
        this.burst = new BurstPattern(settings);
    }

    /** The engine's settings for the thresholds the scenario is labelled against. */
    public static BurstSettings settingsOf(BurstRules rules) {
        return new BurstSettings(rules.minCreates(), rules.minCancels(), rules.minCancelRatio(),
                rules.minPriceLevels(), Duration.ofMillis(rules.burstWindowMs()),
                Duration.ofMillis(rules.cancelWindowMs()), rules.tickSize(), Duration.ofMillis(rules.latenessMs()));
    }

    /** Every detection the orders imply, per key in the order of the keys' first events. */
    public List<BurstDetection> detect(Collection<OrderEvent> orders) {
        Map<String, List<TrackedOrder>> byKey = new LinkedHashMap<>();
        for (OrderEvent order : orders) {
            byKey.computeIfAbsent(order.key(), k -> new ArrayList<>()).add(TrackedOrder.of(order));
        }
        Matcher<TrackedOrder> matcher = new Matcher<>(CompiledPattern.compile(burst.pattern()));
        List<BurstDetection> detections = new ArrayList<>();
        for (List<TrackedOrder> events : byKey.values()) {
            events.sort(TrackedOrder.ORDER);
            KeyState<TrackedOrder> state = KeyState.empty();
            List<Match<TrackedOrder>> matches = new ArrayList<>();
            for (TrackedOrder event : events) {
                matcher.process(state, event);
                matches.addAll(matcher.advanceTime(state, event.order().eventTimeMs()).matches());
            }
            matches.addAll(matcher.advanceTime(state, Long.MAX_VALUE).matches());
            matches.forEach(m -> detections.add(burst.describe(m)));
        }
        return detections;
    }
}
