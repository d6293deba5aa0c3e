package io.streamfleet.alerts.intake;

import io.streamfleet.support.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

/**
 * The consume loop every Kafka reader of alert-api runs (topic views, webhook dispatch, each relay): one consumer on
 * a daemon thread of its own, polling and handing each poll's records to a {@link Reader} until stopped. A stop wakes
 * a poll in progress; the reader then takes its last step on the loop's thread (committing what is done) before the
 * consumer closes. Any other error ends the loop and is logged: a reader that should survive a record catches it.
 */
public final class ConsumerLoop {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    /** What a loop does with its consumer; every method runs on the loop's thread. */
    public interface Reader {

        /** Subscribes or assigns; false ends the loop before the first poll (nothing to read). */
        boolean open(KafkaConsumer<byte[], byte[]> kafka) throws InterruptedException;

        /** One poll's records, possibly none. */
        void poll(KafkaConsumer<byte[], byte[]> kafka, ConsumerRecords<byte[], byte[]> records)
                throws InterruptedException;

        /** The last step after a stop, with the consumer still open (not after an error). */
        default void stopped(KafkaConsumer<byte[], byte[]> kafka) {
        }
    }

    private final String name;
    private final KafkaClients clients;
    private final Map<String, Object> config;
    private final Duration pollTimeout;
    private final Reader reader;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    /** @param name for logs and, with dashes, the thread ({@code relay audit} runs on {@code relay-audit}) */
    public ConsumerLoop(String name, KafkaClients clients, Map<String, Object> config, Duration pollTimeout,
                        Reader reader) {
        this.name = name;
        this.clients = clients;
        this.config = Map.copyOf(config);
        this.pollTimeout = pollTimeout;
        this.reader = reader;
    }

    public synchronized void start() {
        thread = new Thread(this::run, name.replace(' ', '-'));
        thread.setDaemon(true);
        thread.start();
    }

    /** False once stopped: a reader's long step (a backoff, a wait) checks it to end early. */
    public boolean isRunning() {
        return running;
    }

    /** Tells the loop to stop without waiting (a record being handled finishes or fails first). */
    public void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /** Waits up to {@code timeout} for the loop's thread to end. */
    public void awaitStopped(Duration timeout) throws InterruptedException {
        if (thread != null && !timeout.isNegative() && !timeout.isZero()) {
            thread.join(timeout.toMillis());
        }
    }

    private void run() {
        try (KafkaConsumer<byte[], byte[]> kafka = clients.consumer(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            if (!running || !reader.open(kafka)) {
                return;
            }
            try {
                while (running) {
                    reader.poll(kafka, kafka.poll(pollTimeout));
                }
            } catch (WakeupException e) {
                if (running) {
                    throw e;
                }
            }
            finish(kafka);
        } catch (WakeupException e) {
            if (running) {
                log.error("{} woken up unexpectedly", name, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("{} stopped on an error", name, e);
        } finally {
            consumer = null;
        }
    }

    /** The reader's last step; a wake-up still pending (the stop came between two polls) spoils only a first try. */
    private void finish(KafkaConsumer<byte[], byte[]> kafka) {
        try {
            reader.stopped(kafka);
        } catch (WakeupException e) {
            reader.stopped(kafka);
        }
    }
}
