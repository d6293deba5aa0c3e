package io.streamfleet.testkit.kafka;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker's data lives in a directory of its own that only {@link InJvmKraftBroker#close()} deletes, after the
 * broker stopped; the test kit's default directory would be deleted by a JVM shutdown hook racing the broker's stop.
 */
class InJvmKraftBrokerIT {

    @Test
    void shouldKeepItsDataInADirectoryOfItsOwnThatCloseDeletesAfterTheBrokerStopped() {
        InJvmKraftBroker broker = InJvmKraftBroker.start(Map.of());
        Path data;
        try {
            data = Path.of(broker.cluster().nodes().baseDirectory());
            assertThat(data.getFileName().toString()).startsWith("streamfleet-kraft-");
            assertThat(data).as("the running broker's log directories").isNotEmptyDirectory();
        } finally {
            broker.close();
        }
        assertThat(data).doesNotExist();
    }
}
