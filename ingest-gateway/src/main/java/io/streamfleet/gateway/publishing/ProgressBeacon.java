package io.streamfleet.gateway.publishing;

import io.streamfleet.contracts.progress.ProgressWriter;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Writes the gateway's progress records (docs/event-time.md): every interval a clock mark to every partition of the
 * raw topics, through the producer that writes the events, so each mark lands after every event sent before it; on
 * {@link #close()} a leaving mark, after the last event. Runs on a daemon thread of its own because
 * {@code partitionsFor} and {@code send} may block up to {@code max.block.ms}. A failed mark is counted and logged
 * (at most every 30 s), never thrown: the next round writes a fresh one.
 */
public final class ProgressBeacon implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProgressBeacon.class);
    private static final long LOG_EVERY_MS = 30_000;
    /** A round blocks at most max.block.ms per call (2 s by default); then the ticker is interrupted. */
    private static final Duration STOP_WITHIN = Duration.ofSeconds(5);

    private final Producer<String, byte[]> producer;
    private final Map<String, ProgressWriter<String, byte[]>> writers = new LinkedHashMap<>();
    private final String instanceId;
    private final Duration interval;
    private final LongSupplier clock;
    private final GatewayMetrics metrics;
    private final PublishLane lane;
    private final ScheduledExecutorService ticker;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Deque<Sent> unconfirmed = new ArrayDeque<>();
    private volatile long newestAckedMarkMs;
    // confined to the ticker thread, and to close() once the ticker stopped
    private long roundMs;
    private int leavingAcked;
    private long failuresUnreported;
    private long failuresInRow;
    private long lastFailureLogMs;
    private boolean failureLogged;

    /** One mark handed to the producer and not yet confirmed. */
    private record Sent(String topic, long markMs, boolean leaving, Future<RecordMetadata> ack) {
    }

    /**
     * @param topics     the topics that get marks (all their partitions)
     * @param instanceId the name of this producer in its marks ({@link PublishLane#writerId})
     * @param clock      epoch ms; the time every mark carries
     * @param lane       which of the gateway's producers it writes through, for the meters
     */
    public ProgressBeacon(Producer<String, byte[]> producer, List<String> topics, String instanceId, Duration interval,
                          LongSupplier clock, GatewayMetrics metrics, PublishLane lane) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("progress interval must be > 0, was " + interval);
        }
        this.producer = producer;
        this.instanceId = instanceId;
        this.interval = interval;
        this.clock = clock;
        this.metrics = metrics;
        this.lane = lane;
        // one writer per topic, so every send is known by topic; all read the same clock reading of a round
        for (String topic : topics) {
            writers.put(topic, new ProgressWriter<>(producer, List.of(topic), instanceId, () -> roundMs));
            metrics.progressMarks(lane, topic, true, 0);
            metrics.progressMarks(lane, topic, false, 0);
        }
        this.newestAckedMarkMs = clock.getAsLong();
        metrics.progressAckAge(lane, () -> clock.getAsLong() - newestAckedMarkMs);
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "progress-beacon-" + lane.tag());
            thread.setDaemon(true);
            return thread;
        });
    }

    public String instanceId() {
        return instanceId;
    }

    /** Starts writing a round of clock marks every interval, the first one now. */
    public void start() {
        ticker.scheduleAtFixedRate(this::tickQuietly, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        log.info("progress marks every {} ms to every partition of {} as {}", interval.toMillis(), writers.keySet(),
                instanceId);
    }

    /** One round: confirms earlier marks, then writes a clock mark to every partition of every topic. */
    void tick() {
        roundMs = clock.getAsLong();
        confirm();
        writers.forEach((topic, writer) -> {
            try {
                writer.tick().forEach(ack -> unconfirmed.add(new Sent(topic, roundMs, false, ack)));
            } catch (RuntimeException e) {
                failed(topic, e);
            }
        });
    }

    /**
     * Stops the rounds, then writes a leaving mark to every partition and flushes, so the mark follows every event the
     * producer was given before. Call it after the last event was handed to the producer and before the producer
     * closes. If the ticker cannot be stopped no leaving mark is written: a clock mark after it would undo it.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (!stopTicker()) {
            log.warn("progress ticker of {} did not stop; no leaving mark written (readers stop counting this "
                    + "instance after their silence timeout)", instanceId);
            return;
        }
        roundMs = clock.getAsLong();
        confirm();
        int[] leaving = {0};
        writers.forEach((topic, writer) -> {
            try {
                writer.leave().forEach(ack -> {
                    unconfirmed.add(new Sent(topic, roundMs, true, ack));
                    leaving[0]++;
                });
            } catch (RuntimeException e) {
                failed(topic, e);
            }
        });
        try {
            producer.flush();
        } catch (RuntimeException e) {
            log.warn("flushing the leaving marks of {} failed: {}", instanceId, e.toString());
        }
        confirm();
        unconfirmed.forEach(sent -> failed(sent.topic(), new IllegalStateException("not acknowledged at close")));
        unconfirmed.clear();
        if (leavingAcked == leaving[0] && leaving[0] > 0) {
            log.info("progress: leaving marks of {} written to {} partitions of {}", instanceId, leavingAcked,
                    writers.keySet());
        } else {
            log.warn("progress: leaving marks of {} acknowledged on {} of {} partitions of {} (readers stop counting "
                    + "this instance after their silence timeout)", instanceId, leavingAcked, leaving[0],
                    writers.keySet());
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            // an exception would cancel the schedule; tick() already handles the expected ones per topic
            log.warn("progress round of {} failed: {}", instanceId, e.toString(), e);
        }
    }

    private boolean stopTicker() {
        ticker.shutdown();
        try {
            if (ticker.awaitTermination(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            ticker.shutdownNow();
            return ticker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ticker.shutdownNow();
            return ticker.isTerminated();
        }
    }

    /** Counts every mark the producer has decided on since the last look; the rest stay for the next round. */
    private void confirm() {
        for (Iterator<Sent> it = unconfirmed.iterator(); it.hasNext(); ) {
            Sent sent = it.next();
            if (!sent.ack().isDone()) {
                continue;
            }
            it.remove();
            try {
                sent.ack().get();
                acknowledged(sent);
            } catch (ExecutionException e) {
                failed(sent.topic(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed(sent.topic(), e);
            }
        }
    }

    private void acknowledged(Sent sent) {
        metrics.progressMarks(lane, sent.topic(), true, 1);
        newestAckedMarkMs = Math.max(newestAckedMarkMs, sent.markMs());
        if (sent.leaving()) {
            leavingAcked++;
        }
        if (failuresInRow > 0) {
            log.info("progress marks of {} acknowledged again after {} failed", instanceId, failuresInRow);
            failuresInRow = 0;
        }
    }

    private void failed(String topic, Throwable error) {
        metrics.progressMarks(lane, topic, false, 1);
        failuresInRow++;
        failuresUnreported++;
        long now = clock.getAsLong();
        if (!failureLogged || now - lastFailureLogMs >= LOG_EVERY_MS) {
            log.warn("progress mark of {} to {} not written ({} failed since the last report): {}", instanceId, topic,
                    failuresUnreported, String.valueOf(error));
            failureLogged = true;
            lastFailureLogMs = now;
            failuresUnreported = 0;
        }
    }
}
