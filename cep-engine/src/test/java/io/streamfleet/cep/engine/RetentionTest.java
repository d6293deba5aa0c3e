package io.streamfleet.cep.engine;

import io.streamfleet.cep.engine.compile.CompiledPattern;
import io.streamfleet.cep.engine.pattern.EventOrder;
import io.streamfleet.cep.engine.pattern.Pattern;
import io.streamfleet.cep.engine.pattern.Quantifier;
import io.streamfleet.cep.engine.pattern.Stage;
import io.streamfleet.cep.engine.runtime.KeyState;
import io.streamfleet.cep.engine.runtime.Matcher;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Matcher#retentionMs}: the promise an owner relies on to forget old input for all keys at once. A key is fed
 * the way cep-detector feeds it (events behind the watermark, in order, then an advance), and advanced only at the
 * watermarks its owner would evaluate it at (new events, or its wake-up reached); between two advances, for every
 * watermark the owner passes, the oldest stored event must lie within the retention.
 */
class RetentionTest {

    record Ev(long t, String id, char kind) {
    }

    private static final EventOrder<Ev> ORDER = new EventOrder<>(Ev::t, Ev::id);

    @Property(tries = 500)
    void shouldKeepNoEventOlderThanTheRetentionBehindAnyWatermarkBeforeTheNextWakeUp(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 40) Integer> gaps,
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 2) Integer> kinds,
            @ForAll @IntRange(min = 1, max = 120) int lookback, @ForAll @IntRange(min = 1, max = 120) int window,
            @ForAll @IntRange(min = 1, max = 60) int step) {
        Pattern<Ev> pattern = Pattern.begin("p", ORDER,
                        Stage.of("a", e -> e.kind() == 'a', Quantifier.timesOrMore(2), Duration.ofMillis(lookback)))
                .then(Stage.of("b", e -> e.kind() == 'b', Quantifier.timesOrMore(2), Duration.ofMillis(window)))
                .build();
        Matcher<Ev> matcher = new Matcher<>(CompiledPattern.compile(pattern));
        List<Ev> events = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < Math.min(gaps.size(), kinds.size()); i++) {
            t += gaps.get(i);
            events.add(new Ev(t, String.format("e%03d", i), "abc".charAt(kinds.get(i))));
        }
        KeyState<Ev> state = KeyState.empty();
        long wakeUp = Long.MAX_VALUE;
        int next = 0;
        for (long watermark = 0; watermark <= t + 3L * (lookback + window) + step; watermark += step) {
            boolean fed = false;
            while (next < events.size() && events.get(next).t() < watermark) {
                matcher.process(state, events.get(next++));
                fed = true;
            }
            if (fed || watermark >= wakeUp) {
                matcher.advanceTime(state, watermark);
                wakeUp = matcher.nextWakeUp(state);
                assertThat(wakeUp).as("a wake-up lies ahead").isGreaterThan(watermark);
            }
            if (!state.isEmpty()) {
                assertThat(state.events().get(0).t()).as("oldest event at watermark %d", watermark)
                        .isGreaterThanOrEqualTo(watermark - matcher.retentionMs());
            }
        }
    }
}
