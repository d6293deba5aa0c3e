package io.streamfleet.support.processor;

import org.apache.kafka.streams.processor.api.ProcessingContext;

/** Where the record being processed was read, for the log line of a skipped or diverted record. */
public final class RecordPosition {

    private RecordPosition() {
    }

    /**
     * {@code topic-partition@offset} of the current record, or {@code unknown position} outside record processing
     * (a punctuation has no current record).
     */
    public static String of(ProcessingContext context) {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("unknown position");
    }
}
