package io.streamfleet.bench.replay;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a recording: the header on {@link #open}, then the records in file order with {@link #next()}. A file that
 * is cut short (a truncated gzip stream, or fewer records than the header announces) is reported as incomplete, never
 * replayed silently in part.
 */
public final class RecordingReader implements Closeable {

    private final Path file;
    private final BufferedReader in;
    private final RecordingHeader header;
    private final Map<String, Long> seen = new HashMap<>();
    private long line = 1;
    private boolean done;

    private RecordingReader(Path file, BufferedReader in, RecordingHeader header) {
        this.file = file;
        this.in = in;
        this.header = header;
    }

    /** @throws IOException with a message fit for the user when the file is missing or not a recording */
    public static RecordingReader open(Path file) throws IOException {
        BufferedReader in;
        try {
            in = RecordingFiles.reader(file);
        } catch (NoSuchFileException e) {
            throw new IOException("no such file: " + file);
        }
        try {
            String first = in.readLine();
            if (first == null) {
                throw new IOException(file + " is empty: not a fleet-bench recording");
            }
            return new RecordingReader(file, in, LogCodec.decodeHeader(first));
        } catch (IllegalArgumentException e) {
            in.close();
            throw new IOException(file + ": " + e.getMessage());
        } catch (IOException e) {
            in.close();
            throw e instanceof EOFException ? new IOException(file + " is truncated (the gzip stream ends early)") : e;
        }
    }

    public RecordingHeader header() {
        return header;
    }

    /** The next record, or {@code null} after the last one (when the counts have been checked against the header). */
    public LogRecord next() throws IOException {
        if (done) {
            return null;
        }
        String text;
        try {
            text = in.readLine();
        } catch (EOFException e) {
            throw new IOException(file + " is truncated after line " + line + " (the gzip stream ends early)");
        }
        if (text == null) {
            done = true;
            checkCounts();
            return null;
        }
        line++;
        LogRecord record;
        try {
            record = LogCodec.decode(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " line " + line + ": " + e.getMessage());
        }
        if (header.topic(record.topic()).isEmpty()) {
            throw new IOException(file + " line " + line + ": topic " + record.topic() + " is not in the header");
        }
        seen.merge(record.topic(), 1L, Long::sum);
        return record;
    }

    private void checkCounts() throws IOException {
        for (RecordingHeader.TopicSummary t : header.topics()) {
            long found = seen.getOrDefault(t.name(), 0L);
            if (found != t.records()) {
                throw new IOException(file + " holds " + found + " records of " + t.name() + " where its header "
                        + "announces " + t.records() + ": the file is incomplete or was edited");
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
