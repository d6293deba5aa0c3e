package io.streamfleet.gateway.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.streamfleet.gateway.intake.BodyFormat;
import io.streamfleet.gateway.intake.EventIntake;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.intake.IntakeOutcome;
import io.streamfleet.gateway.publishing.EventSink;
import io.streamfleet.gateway.publishing.SendOutcome;
import io.streamfleet.gateway.warmup.WarmUpKey;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One self-warm-up request: a synthetic order (every tenth request an array of ten, to {@code /v1/events}) POSTed over
 * loopback to the gateway's own dry-run route, which runs Netty, routing, the guard, intake, admission and the
 * answer exactly as a real request does; and at the same time the same events, read by the same intake, sent through a sink built as
 * the real one over the real producer, but addressed to the warm-up topic. So the producer's send path, its I/O
 * thread and the broker connection are warm too, and no warm-up event is ever in a domain topic.
 */
public final class LoopbackWarmUp implements AutoCloseable {

    static final int BATCH_EVERY = 10;

    private final ConnectionProvider pool;
    private final HttpClient client;
    private final EventIntake intake;
    private final EventSink warmUpTopic;

    /** @param warmUpTopic where the events go after the dry run; null: the producer is not warmed */
    public LoopbackWarmUp(int port, WarmUpKey key, int connections, EventIntake intake, EventSink warmUpTopic) {
        this.pool = ConnectionProvider.builder("gateway-warm-up").maxConnections(connections)
                .pendingAcquireMaxCount(-1).build();
        this.client = HttpClient.create(pool).baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(5))
                .headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, key.bearer())
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
        this.intake = intake;
        this.warmUpTopic = warmUpTopic;
    }

    /** Request {@code i}: true when the dry run answered 200 and every event was acknowledged in the warm-up topic. */
    public Mono<Boolean> step(int i) {
        boolean batch = i % BATCH_EVERY == BATCH_EVERY - 1;
        byte[] body = batch ? batch(i) : order(i, false).getBytes(StandardCharsets.UTF_8);
        Mono<Boolean> dryRun = client.post().uri(batch ? "/v1/events/dry-run" : "/v1/orders/dry-run")
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                .responseSingle((response, content) -> content.then(Mono.just(response.status().code() == 200)))
                .defaultIfEmpty(false);
        if (warmUpTopic == null) {
            return dryRun;
        }
        // both at once: the step takes as long as the slower of the two, not their sum
        return Mono.zip(dryRun, Mono.defer(() -> publish(body, batch ? null : EventKind.ORDER)),
                (answered, acked) -> answered && acked);
    }

    private Mono<Boolean> publish(byte[] body, EventKind kind) {
        long now = System.currentTimeMillis();
        if (!(intake.read(body, BodyFormat.JSON, kind, now) instanceof IntakeOutcome.Batch read)
                || read.valid().isEmpty()) {
            return Mono.just(false);
        }
        return warmUpTopic.send(read.valid(), WarmUpKey.ID, now)
                .map(outcomes -> outcomes.stream().allMatch(SendOutcome::acked));
    }

    private static byte[] batch(int i) {
        StringBuilder array = new StringBuilder("[");
        for (int j = 0; j < BATCH_EVERY; j++) {
            array.append(j == 0 ? "" : ",").append(order(i * BATCH_EVERY + j, true));
        }
        return array.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Varied values, so the intake's branches (sides, prices, quantities) are all taken as with real traffic. */
    static String order(int i, boolean withKind) {
        return "{" + (withKind ? "\"kind\":\"order\"," : "") + "\"eventId\":\"" + WarmUpKey.ID + "-" + i
                + "\",\"accountId\":\"acc-" + i % 1000 + "\",\"symbol\":\"SYM" + i % 50
                + "\",\"eventType\":\"CREATED\",\"orderId\":\"o-" + i + "\",\"side\":\""
                + (i % 2 == 0 ? "BUY" : "SELL") + "\",\"price\":" + (100 + i % 50) + ".25,\"qty\":" + (1 + i % 500)
                + ",\"eventTimeMs\":" + System.currentTimeMillis() + "}";
    }

    @Override
    public void close() {
        pool.disposeLater().block(Duration.ofSeconds(5));
    }
}
