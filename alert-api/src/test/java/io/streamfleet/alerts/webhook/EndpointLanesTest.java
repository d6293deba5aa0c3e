package io.streamfleet.alerts.webhook;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointLanesTest {

    private final List<Runnable> releases = new ArrayList<>();
    private final List<String> started = new ArrayList<>();
    private final EndpointLanes lanes = new EndpointLanes(2, Runnable::run);

    private void submit(String endpoint, String name) {
        lanes.run(endpoint, release -> {
            started.add(name);
            releases.add(release);
        });
    }

    @Test
    void shouldRunAtMostTheLimitPerEndpointAndTheRestInArrivalOrderWhenSlotsFreeUp() {
        for (int i = 0; i < 5; i++) {
            submit("a", "a" + i);
        }
        submit("b", "b0");
        assertThat(started).containsExactly("a0", "a1", "b0");
        assertThat(lanes.waiting()).isEqualTo(3);

        releases.get(0).run();
        releases.get(0).run(); // a second release of the same slot is ignored
        assertThat(started).containsExactly("a0", "a1", "b0", "a2");
        releases.get(1).run();
        releases.get(3).run();
        assertThat(started).containsExactly("a0", "a1", "b0", "a2", "a3", "a4");
        assertThat(lanes.waiting()).isZero();
    }

    @Test
    void shouldFreeTheSlotWhenTheTaskThrows() {
        assertThatThrownBy(() -> lanes.run("a", release -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        submit("a", "x");
        submit("a", "y");
        assertThat(started).containsExactly("x", "y");
    }
}
