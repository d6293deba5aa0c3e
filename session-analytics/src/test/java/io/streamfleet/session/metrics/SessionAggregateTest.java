package io.streamfleet.session.metrics;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.stats.EngagementSession;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.streamfleet.session.support.Engagement.click;
import static io.streamfleet.session.support.Engagement.scroll;
import static io.streamfleet.session.support.Engagement.viewEnd;
import static io.streamfleet.session.support.Engagement.viewStart;
import static org.assertj.core.api.Assertions.assertThat;

class SessionAggregateTest {

    @Test
    void shouldAverageDwellOfViewEndsWithPositiveDwellOnly() {
        SessionAggregate s = fold(viewStart("u", 0), viewEnd("u", 10, 3_000, true), viewEnd("u", 20, 0, false),
                viewEnd("u", 30, 4_001, false), scroll("u", 40), click("u", 50));

        assertThat(s.asdMs()).isEqualTo(3_500.5);
        assertThat(s.viewEnds()).isEqualTo(3);
        assertThat(s.completionRate()).isEqualTo(1.0 / 3);
        assertThat(s.clicks()).isEqualTo(1);
        assertThat(s.events()).isEqualTo(6);
        assertThat(s.startMs()).isZero();
        assertThat(s.endMs()).isEqualTo(50);
    }

    @Test
    void shouldReportZeroAsdAndZeroCompletionWhenSessionHasNoViewEnd() {
        SessionAggregate s = fold(viewStart("u", 0), click("u", 5), click("u", 6));

        EngagementSession session = s.toSession("u");
        assertThat(session.asdMs()).isZero();
        assertThat(session.completionRate()).isZero();
        assertThat(session.clicks()).isEqualTo(2);
        assertThat(session.viewEnds()).isZero();
    }

    @Test
    void shouldRoundPublishedAsdToOneDecimalAndCompletionToThreeHalfUp() {
        SessionAggregate s = fold(viewEnd("u", 0, 1, true), viewEnd("u", 1, 1, true), viewEnd("u", 2, 2, false));

        EngagementSession session = s.toSession("u");
        assertThat(session.asdMs()).isEqualTo(1.3);
        assertThat(session.completionRate()).isEqualTo(0.667);
    }

    @Test
    void shouldKeepLatestIngestionTimeWhenMerging() {
        SessionAggregate a = SessionAggregate.of(viewStart("u", 100), 5_000);
        SessionAggregate b = SessionAggregate.of(viewStart("u", 0), 7_000);

        assertThat(a.merge(b).lastIngestedAtMs()).isEqualTo(7_000);
        assertThat(a.merge(b).startMs()).isZero();
        assertThat(a.merge(b).endMs()).isEqualTo(100);
    }

    @Property(tries = 200)
    void shouldGiveTheSameAggregateWhateverTheFoldAndMergeOrder(
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 9_999) Integer> dwells,
            @ForAll @IntRange(min = 1, max = 29) int split, @ForAll long seed) {
        List<EngagementEvent> events = new ArrayList<>();
        for (int i = 0; i < dwells.size(); i++) {
            events.add(i % 3 == 2 ? click("u", i * 10L) : viewEnd("u", i * 10L, dwells.get(i), i % 2 == 0));
        }
        SessionAggregate inOrder = fold(events.toArray(EngagementEvent[]::new));

        List<EngagementEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(seed));
        int cut = Math.min(split, shuffled.size());
        SessionAggregate left = cut == 0 ? null : fold(shuffled.subList(0, cut).toArray(EngagementEvent[]::new));
        SessionAggregate merged = cut == shuffled.size() ? left
                : fold(shuffled.subList(cut, shuffled.size()).toArray(EngagementEvent[]::new)).merge(left);

        assertThat(merged).isEqualTo(inOrder);
    }

    private static SessionAggregate fold(EngagementEvent... events) {
        SessionAggregate s = SessionAggregate.of(events[0], -1);
        for (int i = 1; i < events.length; i++) {
            s = s.plus(events[i], -1);
        }
        return s;
    }
}
