package io.streamfleet.bench.replay;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.function.LongConsumer;

/** Writes a recording: header line, then the records, into a temporary file moved into place when complete. */
public final class RecordingWriter {

    private RecordingWriter() {
    }

    /**
     * @param written called with the number of records written so far, every 10 000 records
     * @return the number of records written
     */
    public static long write(Path file, RecordingHeader header, Iterator<LogRecord> records, LongConsumer written)
            throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
        long count = 0;
        try {
            try (BufferedWriter out = RecordingFiles.writer(temp, false)) {
                out.write(LogCodec.encodeHeader(header));
                out.newLine();
                while (records.hasNext()) {
                    out.write(LogCodec.encode(records.next()));
                    out.newLine();
                    if (++count % 10_000 == 0) {
                        written.accept(count);
                    }
                }
            }
            if (count != header.records()) {
                throw new IllegalStateException("wrote " + count + " records, the header announces "
                        + header.records());
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return count;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
