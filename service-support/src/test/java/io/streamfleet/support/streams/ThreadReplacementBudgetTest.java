package io.streamfleet.support.streams;

import io.streamfleet.support.streams.ThreadReplacementBudget.Decision;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThreadReplacementBudgetTest {

    private static final long MINUTE = Duration.ofMinutes(1).toNanos();
    private static final RuntimeException STALL = new StreamsException(new InvalidTxnStateException("stalled"));

    @Test
    void replacesThreadsUpToTheBudgetThenShutsTheClientDown() {
        ThreadReplacementBudget budget = new ThreadReplacementBudget(3, Duration.ofMinutes(10));

        assertThat(budget.onThreadDeath(STALL, 0)).isEqualTo(Decision.REPLACE_THREAD);
        assertThat(budget.onThreadDeath(STALL, MINUTE)).isEqualTo(Decision.REPLACE_THREAD);
        assertThat(budget.onThreadDeath(STALL, 2 * MINUTE)).isEqualTo(Decision.REPLACE_THREAD);
        assertThat(budget.onThreadDeath(STALL, 3 * MINUTE)).isEqualTo(Decision.SHUTDOWN_CLIENT);
    }

    @Test
    void deathsOlderThanTheWindowNoLongerCount() {
        ThreadReplacementBudget budget = new ThreadReplacementBudget(2, Duration.ofMinutes(10));
        budget.onThreadDeath(STALL, 0);
        budget.onThreadDeath(STALL, MINUTE);

        assertThat(budget.onThreadDeath(STALL, 5 * MINUTE)).isEqualTo(Decision.SHUTDOWN_CLIENT);
        assertThat(budget.onThreadDeath(STALL, 10 * MINUTE)).isEqualTo(Decision.REPLACE_THREAD);
        assertThat(budget.onThreadDeath(STALL, 11 * MINUTE)).isEqualTo(Decision.REPLACE_THREAD);
        assertThat(budget.onThreadDeath(STALL, 12 * MINUTE)).isEqualTo(Decision.SHUTDOWN_CLIENT);
    }

    @Test
    void aRefusedDeathDoesNotUseUpTheBudget() {
        ThreadReplacementBudget budget = new ThreadReplacementBudget(1, Duration.ofMinutes(10));
        budget.onThreadDeath(STALL, 0);
        assertThat(budget.onThreadDeath(STALL, MINUTE)).isEqualTo(Decision.SHUTDOWN_CLIENT);

        assertThat(budget.onThreadDeath(STALL, 10 * MINUTE)).isEqualTo(Decision.REPLACE_THREAD);
    }

    @Test
    void aFencedStaticMemberIdIsNeverReplacedBecauseTheNewThreadWouldFenceTheOtherInstance() {
        ThreadReplacementBudget budget = new ThreadReplacementBudget(3, Duration.ofMinutes(10));

        assertThat(budget.onThreadDeath(new StreamsException(new FencedInstanceIdException("taken over")), 0))
                .isEqualTo(Decision.SHUTDOWN_CLIENT);
    }

    @Test
    void anErrorIsNeverReplaced() {
        ThreadReplacementBudget budget = new ThreadReplacementBudget(3, Duration.ofMinutes(10));

        assertThat(budget.onThreadDeath(new StreamsException(new StackOverflowError()), 0))
                .isEqualTo(Decision.SHUTDOWN_CLIENT);
    }

    @Test
    void aZeroBudgetShutsDownOnTheFirstDeath() {
        assertThat(new ThreadReplacementBudget(0, Duration.ofMinutes(10)).onThreadDeath(STALL, 0))
                .isEqualTo(Decision.SHUTDOWN_CLIENT);
    }

    @Test
    void rejectsANegativeBudgetOrAnEmptyWindowNamingTheSetting() {
        assertThatThrownBy(() -> new ThreadReplacementBudget(-1, Duration.ofMinutes(1)))
                .hasMessageContaining("streamfleet.streams.thread-replacement.max-replacements");
        assertThatThrownBy(() -> new ThreadReplacementBudget(1, Duration.ZERO))
                .hasMessageContaining("streamfleet.streams.thread-replacement.window");
    }
}
