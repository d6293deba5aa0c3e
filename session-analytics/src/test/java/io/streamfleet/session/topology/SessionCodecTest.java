package io.streamfleet.session.topology;

import io.streamfleet.session.metrics.SessionAggregate;
import io.streamfleet.session.engine.IndexEntry;
import io.streamfleet.session.engine.OpenSession;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.NumericChars;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code closingBound(t)} ends one closing scan (inclusive) and starts the next (inclusive): a closing key sorts
 * below it exactly when the session ends before {@code t}, whatever the start, the user or the sign of the times.
 */
class SessionCodecTest {

    @Property(tries = 500)
    void shouldSortAClosingKeyBelowTheBoundExactlyWhenTheSessionEndsBeforeIt(
            @ForAll long endMs, @ForAll @IntRange(min = -2, max = 2) int offset, @ForAll long startMs,
            @ForAll String user) {
        Assume.that(offset >= 0 ? endMs <= Long.MAX_VALUE - offset : endMs >= Long.MIN_VALUE - offset);
        long boundMs = endMs + offset;

        int order = SessionCodec.closingKey(new IndexEntry(endMs, startMs, user))
                .compareTo(SessionCodec.closingBound(boundMs));

        assertThat(order < 0).as("end %d vs bound %d", endMs, boundMs).isEqualTo(endMs < boundMs);
        assertThat(order).as("a key is never equal to the bound, so inclusive ends exclude it").isNotZero();
    }

    @Property(tries = 200)
    void shouldDecodeWhatItEncodesWhenTheKeyIsAClosing(@ForAll long endMs, @ForAll long startMs,
                                                      @ForAll @AlphaChars @NumericChars String user) {
        IndexEntry closing = new IndexEntry(endMs, startMs, user);

        assertThat(SessionCodec.decodeEntry(SessionCodec.closingKey(closing))).isEqualTo(closing);
    }

    @Property(tries = 200)
    void shouldReadStateOfTheFirstLayoutAsIndexedAtEachSessionsEnd(@ForAll long startMs, @ForAll long endMs,
                                                                   @ForAll long events) {
        SessionAggregate session = new SessionAggregate(startMs, endMs, events, 1, 0, 5, 1, 2, -1);

        assertThat(SessionCodec.decodeSessions(SessionCodec.encodeOpenV1(List.of(session, session))))
                .containsExactly(new OpenSession(session, endMs), new OpenSession(session, endMs));
    }

    @Property(tries = 200)
    void shouldDecodeWhatItEncodesWithTheIndexedEnd(@ForAll long startMs, @ForAll long endMs,
                                                    @ForAll long indexedEndMs) {
        OpenSession open = new OpenSession(new SessionAggregate(startMs, endMs, 3, 1, 1, 7, 1, 0, 42),
                indexedEndMs);

        assertThat(SessionCodec.decodeSessions(SessionCodec.encodeSessions(List.of(open)))).containsExactly(open);
    }
}
