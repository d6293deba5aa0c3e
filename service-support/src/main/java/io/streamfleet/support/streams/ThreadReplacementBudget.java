package io.streamfleet.support.streams;

import org.apache.kafka.common.errors.FencedInstanceIdException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides whether a dead stream thread is replaced in-process or the whole client is shut down (and the instance
 * restarted by its supervisor). Plain Java, no Kafka Streams types beyond the exception it inspects.
 *
 * <p>Why replace at all: some thread deaths are transient. After a stall longer than the transaction timeout the
 * exactly-once producer can fail with {@code InvalidTxnStateException}, which Kafka Streams 4.1 treats as fatal for the
 * thread although a new thread (new producer epoch, tasks closed dirty and restored) carries on correctly. A new thread
 * costs a second or two; a restart of the JVM costs the start-up plus a restore of every task.
 *
 * <p>Why a budget: an error that comes back with the same record (a poison record, a bug) would otherwise kill thread
 * after thread forever while the instance still reports itself alive. More than {@code maxReplacements} deaths within
 * {@code window} shut the client down, so liveness turns DOWN and the instance is restarted.
 *
 * <p>Never replaced: a {@link FencedInstanceIdException} (another instance took over this static member id; replacing
 * would take it back and the two would fence each other in turn) and any {@link Error}.
 */
public final class ThreadReplacementBudget {

    /** What to do with a thread that died. */
    public enum Decision { REPLACE_THREAD, SHUTDOWN_CLIENT }

    private final int maxReplacements;
    private final long windowNanos;
    private final Deque<Long> recent = new ArrayDeque<>();

    /**
     * @param maxReplacements thread replacements allowed within {@code window}; 0 shuts the client down on any death
     * @param window          the sliding window the budget counts over
     */
    public ThreadReplacementBudget(int maxReplacements, Duration window) {
        if (maxReplacements < 0) {
            throw new IllegalArgumentException("streamfleet.streams.thread-replacement.max-replacements must be >= 0,"
                    + " was " + maxReplacements);
        }
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("streamfleet.streams.thread-replacement.window must be positive, was "
                    + window);
        }
        this.maxReplacements = maxReplacements;
        this.windowNanos = window.toNanos();
    }

    /** The decision for a thread that died of {@code error} at {@code nowNanos} (a monotonic clock). */
    public synchronized Decision onThreadDeath(Throwable error, long nowNanos) {
        if (!replaceable(error)) {
            return Decision.SHUTDOWN_CLIENT;
        }
        while (!recent.isEmpty() && nowNanos - recent.peekFirst() >= windowNanos) {
            recent.removeFirst();
        }
        if (recent.size() >= maxReplacements) {
            return Decision.SHUTDOWN_CLIENT;
        }
        recent.addLast(nowNanos);
        return Decision.REPLACE_THREAD;
    }

    private static boolean replaceable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FencedInstanceIdException || t instanceof Error) {
                return false;
            }
        }
        return true;
    }
}
