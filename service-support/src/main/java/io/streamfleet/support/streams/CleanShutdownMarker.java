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
 * leaves it in place while the task runs (KAFKA-20685, fixed in 4.2 releases). After a crash the restart trusts
 * that checkpoint instead of wiping the store, but RocksDB may already hold writes of the transaction the crash
 * aborted; for a deduplication store that means an event whose output was aborted is taken for a duplicate on
 * replay and lost (seen in the streams-crash drill: 1 of 102 757 events). Streams' own rule is to wipe and restore
 * after an unclean shutdown under EOS; without a trustworthy checkpoint we applied that rule ourselves.
 * <p>
 * Kafka Streams 4.3 keeps the committed offsets inside each RocksDB store (KIP-1035) together with an open/closed
 * status that is flushed atomically with the data, and wipes a store it finds open after a crash. It migrates a
 * per-task {@code .checkpoint} file of an older release into the stores once, trusting it: a file left by a crashed
 * run of an older release is exactly the stale checkpoint above, so such state is always wiped.
 * <p>
 * Kafka Streams 4.4 makes the stores transactional (KIP-892): writes reach RocksDB only when their changelog
 * transaction commits, so the state of a crashed run is kept and the full wipe is only a setting
 * ({@code streamfleet.streams.wipe-after-unclean-shutdown}, off by default).
 */
final class CleanShutdownMarker {

    static final String FILE_NAME = ".streamfleet-clean-shutdown";
    /** The per-task checkpoint file of Kafka Streams before 4.3 (4.3 migrates it into the stores and deletes it). */
    static final String LEGACY_CHECKPOINT = ".checkpoint";

    private final Path applicationStateDir;

    CleanShutdownMarker(Path applicationStateDir) {
        this.applicationStateDir = applicationStateDir;
    }

    /** True when task state of an earlier run is on disk and that run did not record a clean shutdown. */
    boolean previousRunCrashedWithLocalState() {
        return hasTaskDirectories() && !Files.exists(marker());
    }

    /** True when a task directory holds a per-task checkpoint file written by a Kafka Streams release before 4.3. */
    boolean hasLegacyCheckpoint() {
        return taskDirectories().anyMatch(task -> Files.isRegularFile(task.resolve(LEGACY_CHECKPOINT)));
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
        return taskDirectories().findAny().isPresent();
    }

    private Stream<Path> taskDirectories() {
        if (!Files.isDirectory(applicationStateDir)) {
            return Stream.empty();
        }
        try (Stream<Path> entries = Files.list(applicationStateDir)) {
            return entries.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("\\d+_\\d+"))
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + applicationStateDir, e);
        }
    }

    private Path marker() {
        return applicationStateDir.resolve(FILE_NAME);
    }
}
