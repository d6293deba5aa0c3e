package io.streamfleet.support.streams;

import org.apache.kafka.streams.errors.ProcessorStateException;

import java.util.Optional;

/**
 * Tells a start that failed on the local state from any other failed start. {@code KafkaStreams.start()} opens the
 * stores of every task directory it finds (to read their offsets) before it talks to the broker, and reports a store
 * that RocksDB refuses to open as a {@link ProcessorStateException} (Kafka Streams 4.4 turns only its own
 * corruption checks into a recoverable error, not a failed open). Besides opening those stores, the start (as read
 * from the 4.4.0 classes) only deletes outdated task directories, so that exception is read as local state that
 * cannot be used; a wipe that does not cure it fails the next start.
 */
final class UnreadableLocalState {

    private UnreadableLocalState() {
    }

    /** The {@link ProcessorStateException} in the failure's cause chain, if there is one. */
    static Optional<ProcessorStateException> causeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProcessorStateException state) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }

    /** The failure's message with the deepest cause's (RocksDB names the missing file there). */
    static String describe(ProcessorStateException failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? failure.getMessage() : failure.getMessage() + ": " + root.getMessage();
    }
}
