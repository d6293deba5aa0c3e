package io.streamfleet.cep.engine;

import io.streamfleet.cep.engine.compile.CompiledPattern;
import io.streamfleet.cep.engine.pattern.EventOrder;
import io.streamfleet.cep.engine.pattern.Pattern;
import io.streamfleet.cep.engine.pattern.Quantifier;
import io.streamfleet.cep.engine.pattern.Stage;
import io.streamfleet.cep.engine.runtime.EventRef;
import io.streamfleet.cep.engine.runtime.KeyState;
import io.streamfleet.cep.engine.runtime.Matcher;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Matcher#pendingCandidates} against the definition read literally: an unevaluated event of the first stage
 * whose next event relevant to the first two stages belongs to the second. Three stages, so stored events that
 * belong to neither of the first two (the third stage's) sit in between.
 */
class PendingCandidatesTest {

    record Ev(long t, String id, char kind) {
    }

    private static final EventOrder<Ev> ORDER = new EventOrder<>(Ev::t, Ev::id);

    @Property(tries = 400)
    void shouldCountExactlyTheUnevaluatedAnchors(@ForAll @StringLength(max = 40) @CharRange(from = 'a', to = 'c')
                                                 String kinds, @ForAll @IntRange(min = 0, max = 500) int watermark) {
        Pattern<Ev> pattern = Pattern.begin("p", ORDER, stage("a", 'a', 3, 100))
                .then(stage("b", 'b', 2, 50)).then(stage("c", 'c', 1, 50)).build();
        Matcher<Ev> matcher = new Matcher<>(CompiledPattern.compile(pattern));
        KeyState<Ev> state = KeyState.empty();
        for (int i = 0; i < kinds.length(); i++) {
            matcher.process(state, new Ev(i * 10L, String.format("e%03d", i), kinds.charAt(i)));
        }
        matcher.advanceTime(state, watermark);

        assertThat(matcher.pendingCandidates(state)).isEqualTo(literal(state));
    }

    private static int literal(KeyState<Ev> state) {
        List<Ev> events = state.events();
        EventRef through = state.evaluatedThrough();
        int pending = 0;
        for (int i = 0; i < events.size(); i++) {
            Ev event = events.get(i);
            if (through != null && new EventRef(event.t(), event.id()).compareTo(through) <= 0 || event.kind() != 'a') {
                continue;
            }
            for (int j = i + 1; j < events.size(); j++) {
                char next = events.get(j).kind();
                if (next == 'a' || next == 'b') {
                    pending += next == 'b' ? 1 : 0;
                    break;
                }
            }
        }
        return pending;
    }

    private static Stage<Ev> stage(String name, char kind, int times, long windowMs) {
        return Stage.of(name, e -> e.kind() == kind, Quantifier.timesOrMore(times), Duration.ofMillis(windowMs));
    }
}
