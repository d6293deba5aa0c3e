package io.streamfleet.cep.engine;

import io.streamfleet.cep.engine.pattern.EventOrder;
import io.streamfleet.cep.engine.pattern.Match;
import io.streamfleet.cep.engine.pattern.Pattern;
import io.streamfleet.cep.engine.pattern.Quantifier;
import io.streamfleet.cep.engine.pattern.SkipStrategy;
import io.streamfleet.cep.engine.pattern.Stage;
import io.streamfleet.cep.engine.runtime.KeyState;
import io.streamfleet.cep.engine.runtime.Matcher;
import io.streamfleet.cep.engine.runtime.ProcessOutcome;
import io.streamfleet.cep.engine.compile.CompiledPattern;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.streamfleet.cep.engine.pattern.Quantifier.times;
import static io.streamfleet.cep.engine.pattern.Quantifier.timesOrMore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pattern library on its own, over a tiny event type: validation, quantifiers, skip strategies, state cost. */
class MatcherTest {

    record Ev(long t, String id, char kind) {
    }

    private static final EventOrder<Ev> ORDER = new EventOrder<>(Ev::t, Ev::id);

    private static Stage<Ev> stage(String name, char kind, Quantifier q, long windowMs) {
        return Stage.of(name, e -> e.kind() == kind, q, Duration.ofMillis(windowMs));
    }

    private static List<Ev> stream(String kinds, long step) {
        List<Ev> events = new ArrayList<>();
        for (int i = 0; i < kinds.length(); i++) {
            events.add(new Ev(i * step, String.format("e%04d", i), kinds.charAt(i)));
        }
        return events;
    }

    private static List<String> ids(List<Match<Ev>> matches) {
        return matches.stream().map(m -> m.first().id() + ".." + m.last().id()).toList();
    }

    @Test
    void shouldNameTheStageWhenStageIsInvalid() {
        assertThatThrownBy(() -> Stage.of("cancels", null, timesOrMore(8), Duration.ofSeconds(1)))
                .hasMessageContaining("stage 'cancels'");
        assertThatThrownBy(() -> stage("creates", 'a', timesOrMore(1), -1)).hasMessageContaining("stage 'creates'");
        assertThatThrownBy(() -> timesOrMore(0)).hasMessageContaining("n >= 1");
    }

    @Test
    void shouldRejectPatternWhenStagesAreMissingOrDuplicated() {
        assertThatThrownBy(() -> Pattern.begin("p", ORDER, stage("a", 'a', times(1), 10)).build())
                .hasMessageContaining("at least two stages");
        assertThatThrownBy(() -> Pattern.begin("p", ORDER, stage("a", 'a', times(1), 10))
                .then(stage("a", 'b', times(1), 10)).build()).hasMessageContaining("duplicate stage name 'a'");
    }

    @Test
    void shouldRequireExactCountWhenQuantifierIsTimes() {
        Pattern<Ev> exactlyTwo = Pattern.begin("p", ORDER, stage("a", 'a', times(2), 100))
                .then(stage("b", 'b', times(1), 100)).build();

        assertThat(new EngineHarness<>(exactlyTwo).run(stream("aab", 10))).hasSize(1);
        assertThat(new EngineHarness<>(exactlyTwo).run(stream("aaab", 10))).isEmpty();
    }

    @Test
    void shouldChainThirdStageFromLastEventOfSecond() {
        Pattern<Ev> abc = Pattern.begin("p", ORDER, stage("a", 'a', timesOrMore(2), 100))
                .then(stage("b", 'b', timesOrMore(2), 30))
                .then(stage("c", 'c', timesOrMore(1), 10)).build();

        // b's at 20, 30 (≤ anchor 10 + 30); c at 40 is ≤ 30 + 10
        assertThat(ids(new EngineHarness<>(abc).run(stream("aabbc", 10)))).containsExactly("e0000..e0004");
        // c at 50 is 20 ms after the last b: outside c's window
        assertThat(new EngineHarness<>(abc).run(stream("aabbxc", 10))).isEmpty();
    }

    @Test
    void shouldReuseEventsWhenSkipStrategyIsNoSkip() {
        Pattern.Builder<Ev> builder = Pattern.begin("p", ORDER, stage("a", 'a', timesOrMore(1), 1000))
                .then(stage("b", 'b', timesOrMore(1), 1000));

        List<Match<Ev>> skipping = new EngineHarness<>(builder.skip(SkipStrategy.skipPastLastEvent()).build())
                .run(stream("abab", 10));
        List<Match<Ev>> reusing = new EngineHarness<>(builder.skip(SkipStrategy.noSkip()).build())
                .run(stream("abab", 10));

        assertThat(ids(skipping)).containsExactly("e0000..e0003");
        assertThat(ids(reusing)).containsExactly("e0000..e0003", "e0000..e0003");
    }

    @Test
    void shouldApplyPostMatchPredicateAfterCounts() {
        Pattern<Ev> none = Pattern.begin("p", ORDER, stage("a", 'a', timesOrMore(1), 100))
                .then(stage("b", 'b', timesOrMore(1), 100)).where(m -> m.events("a").size() > 5).build();

        assertThat(new EngineHarness<>(none).run(stream("aab", 10))).isEmpty();
    }

    @Test
    void shouldIgnoreIrrelevantAndOutOfOrderEvents() {
        Pattern<Ev> p = Pattern.begin("p", ORDER, stage("a", 'a', timesOrMore(1), 100))
                .then(stage("b", 'b', timesOrMore(1), 100)).build();
        Matcher<Ev> matcher = new Matcher<>(CompiledPattern.compile(p));
        KeyState<Ev> state = KeyState.empty();

        assertThat(matcher.process(state, new Ev(5, "x", 'z'))).isEqualTo(ProcessOutcome.IGNORED);
        assertThat(matcher.process(state, new Ev(5, "b", 'a'))).isEqualTo(ProcessOutcome.RETAINED);
        assertThat(matcher.process(state, new Ev(5, "a", 'b'))).isEqualTo(ProcessOutcome.OUT_OF_ORDER);
        assertThat(matcher.process(state, new Ev(5, "b", 'b'))).isEqualTo(ProcessOutcome.OUT_OF_ORDER);
        assertThat(state.size()).isEqualTo(1);
    }

    @Test
    void shouldKeepStateWithinHorizonWhenStreamIsLong() {
        // 1 event per 10 ms for 100 s: lookback 200 ms + deadline 100 ms ⇒ at most ~31 events held at once
        Pattern<Ev> p = Pattern.begin("p", ORDER, stage("a", 'a', timesOrMore(50), 200))
                .then(stage("b", 'b', timesOrMore(50), 100)).build();
        StringBuilder kinds = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            kinds.append(i % 7 == 3 ? 'b' : 'a');
        }
        EngineHarness<Ev> harness = new EngineHarness<>(p);

        assertThat(harness.run(stream(kinds.toString(), 10))).isEmpty();
        assertThat(harness.maxStateSize()).isLessThanOrEqualTo(32);
        assertThat(harness.state().isEmpty()).isTrue();
    }

    @Test
    void shouldWakeUpAtNextDeadlineThenAtExpiry() {
        Pattern<Ev> p = Pattern.begin("p", ORDER, stage("a", 'a', timesOrMore(5), 200))
                .then(stage("b", 'b', timesOrMore(1), 100)).build();
        Matcher<Ev> matcher = new Matcher<>(CompiledPattern.compile(p));
        KeyState<Ev> state = KeyState.empty();
        matcher.process(state, new Ev(1000, "a", 'a'));
        matcher.process(state, new Ev(1010, "b", 'b'));

        assertThat(matcher.pendingCandidates(state)).isEqualTo(1);
        assertThat(matcher.nextWakeUp(state)).isEqualTo(1101);
        assertThat(matcher.advanceTime(state, 1101).candidatesEvaluated()).isEqualTo(1);
        assertThat(matcher.nextWakeUp(state)).isEqualTo(1010 + 200 + 1);
        matcher.advanceTime(state, 1211);
        assertThat(state.isEmpty()).isTrue();
        assertThat(matcher.nextWakeUp(state)).isEqualTo(Long.MAX_VALUE);
    }
}
