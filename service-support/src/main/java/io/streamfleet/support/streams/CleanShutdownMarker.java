package io.streamfleet.support.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Remembers, in the application's state directory, whether the last run closed its streams client cleanly.
 * <p>
 * Why: under {@code exactly_once_v2}, Kafka Streams 4.1 writes a checkpoint when a task finishes restoration and
 * leaves it in place while the task runs (KAFKA-20685, fixed in later releases). After a crash the restart trusts
 * that checkpoint instead of wiping the store, but RocksDB may already hold writes of the transaction the crash
 * aborted; for a deduplication store that means an event whose output was aborted is taken for a duplicate on
 * replay and lost (seen in the streams-crash drill: 1 of 102 757 events). Streams' own rule is to wipe and restore
 * after an unclean shutdown under EOS; without a trustworthy checkpoint we apply that rule ourselves.
 */
final class CleanShutdownMarker {

    static final String FILE_NAME = ".streamfleet-clean-shutdown";

    private final Path applicationStateDir;

    CleanShutdownMarker(Path applicationStateDir) {
        this.applicationStateDir = applicationStateDir;
    }

    /** True when task state of an earlier run is on disk and that run did not record a clean shutdown. */
    boolean previousRunCrashedWithLocalState() {
        return hasTaskDirectories() && !Files.exists(marker());
    }

    /** Forgets the last clean shutdown: from now on the state on disk is being changed. */
    void clear() {
        try {
            Files.deleteIfExists(marker());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + marker(), e);
        }
    }

    /** Records that the client closed cleanly (every task committed and checkpointed). */
    void markClean() {
        try {
            Files.createDirectories(applicationStateDir);
            Files.writeString(marker(), "closed cleanly\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker(), e);
        }
    }

    private boolean hasTaskDirectories() {
        if (!Files.isDirectory(applicationStateDir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(applicationStateDir)) {
            return entries.anyMatch(p -> Files.isDirectory(p) && p.getFileName().toString().matches("\\d+_\\d+"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + applicationStateDir, e);
        }
    }

    private Path marker() {
        return applicationStateDir.resolve(FILE_NAME);
    }
}
