package io.streamfleet.session.topology;

import io.streamfleet.session.metrics.SessionAggregate;
import io.streamfleet.session.engine.OpenSession;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The open-session layouts: version 2 round-trips; version 1 (written by the eager index) reads as indexed at each
 * session's end.
 */
class SessionCodecTest {

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
