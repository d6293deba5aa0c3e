package io.streamfleet.support.streams;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeadMemberRemovalTest {

    @Test
    void readsTheThreadIndexThatStreamsAppendsToTheInstanceId() {
        assertThat(DeadMemberRemoval.threadIndex("streamfleet-stream-processor-72a05e23-StreamThread-1")).isEqualTo(1);
        assertThat(DeadMemberRemoval.threadIndex("app-StreamThread-12")).isEqualTo(12);
    }

    @Test
    void aThreadThatIsNoStreamThreadHasNoIndex() {
        assertThat(DeadMemberRemoval.threadIndex("app-GlobalStreamThread")).isEqualTo(-1);
        assertThat(DeadMemberRemoval.threadIndex("main")).isEqualTo(-1);
    }
}
