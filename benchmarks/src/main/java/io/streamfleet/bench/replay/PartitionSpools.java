package io.streamfleet.bench.replay;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

/**
 * One temporary gzip'd file per topic-partition while recording, so the records can be merged by time afterwards
 * without holding them in memory. {@link #close()} deletes the files.
 */
public final class PartitionSpools implements Closeable {

    private final Path dir;
    private final Map<String, Spool> spools = new LinkedHashMap<>();
    private final List<Closeable> readers = new ArrayList<>();

    /** @param near the spools live in a hidden folder beside this file */
    public PartitionSpools(Path near) throws IOException {
        Path parent = near.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        this.dir = Files.createTempDirectory(parent, "." + near.getFileName() + ".spool");
    }

    /** Declares a spool; call in the order the merge should prefer on equal times (topic order, then partition). */
    public void declare(String topic, int partition) throws IOException {
        String name = topic + "-" + partition;
        Path file = dir.resolve(spools.size() + ".ndjson.gz");
        spools.put(name, new Spool(file, RecordingFiles.writer(file, true)));
    }

    public void add(LogRecord record) throws IOException {
        Spool spool = spools.get(record.topic() + "-" + record.partition());
        if (spool == null) {
            throw new IllegalArgumentException("no spool declared for " + record.position());
        }
        spool.out.write(LogCodec.encode(record));
        spool.out.newLine();
    }

    /** Closes the writers and returns one reader per spool, in declaration order. */
    public List<Iterator<LogRecord>> finish() throws IOException {
        List<Iterator<LogRecord>> readers = new ArrayList<>();
        for (Spool spool : spools.values()) {
            spool.out.close();
            BufferedReader in = RecordingFiles.reader(spool.file);
            this.readers.add(in);
            readers.add(new Lines(in));
        }
        return readers;
    }

    @Override
    public void close() throws IOException {
        for (Spool spool : spools.values()) {
            spool.out.close();
        }
        for (Closeable reader : readers) {
            reader.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private record Spool(Path file, BufferedWriter out) {
    }

    private static final class Lines implements Iterator<LogRecord> {
        private final BufferedReader in;
        private String next;

        Lines(BufferedReader in) throws IOException {
            this.in = in;
            this.next = in.readLine();
            closeAtEnd();
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public LogRecord next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            LogRecord record = LogCodec.decode(next);
            try {
                next = in.readLine();
                closeAtEnd();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return record;
        }

        private void closeAtEnd() throws IOException {
            if (next == null) {
                in.close();
            }
        }
    }
}
