package io.streamfleet.testkit.kafka;

import io.streamfleet.contracts.progress.ProgressWriter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the gateway's part in tests that write raw topics directly: writes clock marks to every partition of the
 * given topics of the shared broker at a fixed interval, and a leaving mark on {@link #close()}. Without it nothing
 * moves the time of a quiet partition.
 */
public final class ProgressTicker implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final ProgressWriter<byte[], byte[]> writer;
    private final ScheduledExecutorService scheduler;

    private ProgressTicker(List<String> topics, String source, Duration interval) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
        writer = new ProgressWriter<>(producer, topics, source, System::currentTimeMillis);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "progress-ticker-" + source);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(writer::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts ticking every 200 ms as source {@code test-gateway}. */
    public static ProgressTicker start(List<String> topics) {
        return start(topics, "test-gateway", Duration.ofMillis(200));
    }

    public static ProgressTicker start(List<String> topics, String source, Duration interval) {
        return new ProgressTicker(topics, source, interval);
    }

    @Override
    public void close() {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
            writer.leave();
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
