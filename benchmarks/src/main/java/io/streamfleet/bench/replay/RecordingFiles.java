package io.streamfleet.bench.replay;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/** Gzip'd UTF-8 text files, line by line: recordings and their per-partition spools. */
final class RecordingFiles {

    private static final int BUFFER = 64 * 1024;

    private RecordingFiles() {
    }

    static BufferedWriter writer(Path file, boolean fast) throws IOException {
        OutputStream raw = Files.newOutputStream(file);
        try {
            GZIPOutputStream gzip = new GZIPOutputStream(raw, BUFFER) {
                {
                    def.setLevel(fast ? Deflater.BEST_SPEED : Deflater.DEFAULT_COMPRESSION);
                }
            };
            return new BufferedWriter(new OutputStreamWriter(gzip, StandardCharsets.UTF_8), BUFFER);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    static BufferedReader reader(Path file) throws IOException {
        var raw = Files.newInputStream(file);
        try {
            return new BufferedReader(new InputStreamReader(new GZIPInputStream(raw, BUFFER), StandardCharsets.UTF_8),
                    BUFFER);
        } catch (ZipException e) {
            raw.close();
            throw new IOException(file + " is not a fleet-bench recording (not gzip: " + e.getMessage() + ")");
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw new IOException(file + " cannot be read: " + e, e);
        }
    }
}
