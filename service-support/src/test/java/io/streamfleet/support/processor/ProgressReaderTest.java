package io.streamfleet.support.processor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressReaderTest {

    private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Counter marks = registry.counter("marks");
    private final Counter malformed = registry.counter("malformed");
    private final ProgressReader reader = new ProgressReader(marks, malformed);

    @Test
    void shouldReturnAndCountTheMarkOfAWellFormedProgressRecord() {
        ProgressMark mark = ProgressMark.streamTime("stream-processor", 12_345);

        ProgressMark read = reader.read(context, new Record<>(null, null, 0L, ProgressRecords.headers(mark)));

        assertThat(read).isEqualTo(mark);
        assertThat(marks.count()).isEqualTo(1.0);
        assertThat(malformed.count()).isZero();
    }

    @Test
    void shouldSkipCountAndLogAMalformedProgressRecordWithItsPosition() {
        Headers headers = ProgressRecords.headers(ProgressMark.clock("gw-1", 1_000))
                .remove(ProgressRecords.TIME_MS).add(ProgressRecords.TIME_MS, "soon".getBytes(StandardCharsets.UTF_8));
        context.setRecordMetadata("engagement.clean", 0, 9);

        try (CapturedLog log = new CapturedLog(ProgressReader.class)) {
            assertThat(reader.read(context, new Record<>(null, null, 0L, headers))).isNull();

            assertThat(log.lines()).singleElement().asString()
                    .startsWith("WARN Skipping malformed progress record at engagement.clean-0@9: ")
                    .contains(ProgressRecords.TIME_MS);
        }
        assertThat(malformed.count()).isEqualTo(1.0);
        assertThat(marks.count()).isZero();
    }
}
