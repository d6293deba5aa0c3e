package io.streamfleet.support.processor;

import io.micrometer.core.instrument.Counter;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the mark of a progress record for a Streams stage (docs/event-time.md): every mark read is counted; a
 * malformed one is counted apart, logged once with its position and skipped — it never stops the task and never
 * moves time.
 */
public final class ProgressReader {

    private static final Logger log = LoggerFactory.getLogger(ProgressReader.class);

    private final Counter marks;
    private final Counter malformed;

    /**
     * @param marks     counts the marks read
     * @param malformed counts the progress records skipped because a header was missing or malformed
     */
    public ProgressReader(Counter marks, Counter malformed) {
        this.marks = marks;
        this.malformed = malformed;
    }

    /** The mark of {@code record} (a progress record), or {@code null} when it is malformed and skipped. */
    public ProgressMark read(ProcessingContext context, Record<?, ?> record) {
        try {
            ProgressMark mark = ProgressRecords.read(record.headers());
            marks.increment();
            return mark;
        } catch (IllegalArgumentException e) {
            malformed.increment();
            log.warn("Skipping malformed progress record at {}: {}", RecordPosition.of(context), e.getMessage());
            return null;
        }
    }
}
