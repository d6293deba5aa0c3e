package io.streamfleet.alerts.webhook;

import io.streamfleet.support.kafka.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The one producer of alert-api's own topics (subscriptions, attempts, dead letters): acks=all, idempotent. */
public final class WebhookTopics implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    public WebhookTopics(KafkaClients clients) {
        this.producer = clients.producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                // send() must not block a request thread for a minute when metadata is missing: fail within the
                // write timeout of the callers instead
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.CLIENT_ID_CONFIG, "alert-api-webhooks"),
                new StringSerializer(), new StringSerializer());
    }

    /** Sends; the future completes with the broker's acknowledgement. {@code value} null writes a tombstone. */
    public CompletableFuture<RecordMetadata> send(String topic, String key, String value) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error != null) {
                    acked.completeExceptionally(error);
                } else {
                    acked.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
