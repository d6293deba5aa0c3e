package io.streamfleet.support.streams;

import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class UnreadableLocalStateTest {

    @Test
    void shouldFindTheStoreFailureWrappedInOtherExceptionsAndNameItsRootCause() {
        ProcessorStateException store = new ProcessorStateException("Error opening store seen.1796509080000",
                new IOException("MANIFEST-000005: No such file or directory"));
        RuntimeException start = new IllegalStateException("start", new StreamsException("init", store));

        assertThat(UnreadableLocalState.causeOf(start)).containsSame(store);
        assertThat(UnreadableLocalState.describe(store))
                .isEqualTo("Error opening store seen.1796509080000: MANIFEST-000005: No such file or directory");
    }

    @Test
    void shouldNotTakeAStartFailureWithoutAStoreFailureForUnreadableState() {
        RuntimeException start = new StreamsException("broker unreachable", new IOException("connection refused"));

        assertThat(UnreadableLocalState.causeOf(start)).isEmpty();
    }
}
