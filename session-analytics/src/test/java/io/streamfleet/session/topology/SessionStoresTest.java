package io.streamfleet.session.topology;

import io.streamfleet.support.streams.store.ChangelogPositions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every store of the service is wrapped so that no write copies its position (see {@link ChangelogPositions}). */
class SessionStoresTest {

    @Test
    void shouldWrapEveryStoreSoThatNoWriteCopiesItsPosition() {
        for (boolean persistent : new boolean[] {true, false}) {
            assertThat(SessionStores.builders(persistent)).hasSize(SessionStores.names().size())
                    .allSatisfy(builder -> assertThat(ChangelogPositions.isWrapped(builder.build()))
                            .as(builder.name()).isTrue());
        }
    }
}
