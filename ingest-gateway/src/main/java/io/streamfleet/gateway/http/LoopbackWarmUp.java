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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One self-warm-up request: a synthetic order (every tenth request an array of ten, to {@code /v1/events}) POSTed over
 * loopback to the gateway's own dry-run route, which runs Netty, routing, the guard, intake, admission and the
 * answer exactly as a real request does; and at the same time the same events, read by the same intake, sent through
 * a sink built as the real one over the real producer, but addressed to the warm-up topic. So the producer's send
 * path, its I/O thread and the broker connection are warm too, and no warm-up event is ever in a domain topic.
 * Another tenth of the requests, when a WebSocket dry-run path is given, are a WebSocket session on it instead: the
 * handshake with the warm-up key, {@link #WS_FRAMES} messages (single events and one NDJSON batch), every event's ack
 * read and checked, the socket closed; their events go to the warm-up topic too, one send per message.
 */
public final class LoopbackWarmUp implements AutoCloseable {

    static final int BATCH_EVERY = 10;
    /** Request i is a WebSocket session when {@code i % BATCH_EVERY == WS_AT} (and a WebSocket path is given). */
    static final int WS_AT = 4;
    /** Messages per WebSocket session: all but the last carry one event, the last {@link #WS_BATCH} NDJSON lines. */
    public static final int WS_FRAMES = 8;
    public static final int WS_BATCH = 5;
    /** The prefix of the eventIds sent over the WebSocket (the others are {@code gateway-warm-up-<n>}). */
    public static final String WS_ID = WarmUpKey.ID + "-ws";

    private final ConnectionProvider pool;
    private final HttpClient client;
    private final EventIntake intake;
    private final EventSink warmUpTopic;
    private final HttpClient.WebsocketSender webSocket;

    /**
     * @param warmUpTopic   where the events go after the dry run; null: the producer is not warmed
     * @param webSocketPath the WebSocket dry-run path; null: the WebSocket path is not warmed
     */
    public LoopbackWarmUp(int port, WarmUpKey key, int connections, EventIntake intake, EventSink warmUpTopic,
                          String webSocketPath) {
        this.pool = ConnectionProvider.builder("gateway-warm-up").maxConnections(connections)
                .pendingAcquireMaxCount(-1).build();
        String bearer = key.bearer();
        this.client = HttpClient.create(pool).baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(5))
                .headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, bearer)
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
        // a connection of its own per session: an upgraded connection never goes back to a pool
        this.webSocket = webSocketPath == null ? null : HttpClient.newConnection().baseUrl("http://127.0.0.1:" + port)
                .headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, bearer))
                .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(intake.limits().maxBodyBytes()).build())
                .uri(webSocketPath);
        this.intake = intake;
        this.warmUpTopic = warmUpTopic;
    }

    /** Request {@code i}: true when the dry run answered 200 and every event was acknowledged in the warm-up topic. */
    public Mono<Boolean> step(int i) {
        if (webSocket != null && i % BATCH_EVERY == WS_AT) {
            return webSocketSession(i);
        }
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
        return Mono.zip(dryRun, Mono.defer(() -> publish(body, BodyFormat.JSON, batch ? null : EventKind.ORDER)),
                (answered, acked) -> answered && acked);
    }

    /**
     * A WebSocket session on the dry-run path: true when every event got an {@code accepted} ack (acks arrive in
     * order, one per event) and every event was acknowledged in the warm-up topic.
     */
    private Mono<Boolean> webSocketSession(int i) {
        List<String> frames = new ArrayList<>(WS_FRAMES);
        for (int f = 0; f < WS_FRAMES - 1; f++) {
            frames.add(order(WS_ID, i * WS_FRAMES * WS_BATCH + f, true));
        }
        StringBuilder ndjson = new StringBuilder();
        for (int j = 0; j < WS_BATCH; j++) {
            ndjson.append(order(WS_ID, i * WS_FRAMES * WS_BATCH + WS_FRAMES + j, true)).append('\n');
        }
        frames.add(ndjson.toString());
        int events = WS_FRAMES - 1 + WS_BATCH;
        Mono<Boolean> session = webSocket.handle((in, out) -> {
            // a socket closed early leaves acks missing: every event must have its accepted ack
            Mono<Boolean> acked = in.receive().asString().take(events).filter(LoopbackWarmUp::accepted).count()
                    .map(accepted -> accepted == events);
            Mono<Boolean> sent = Mono.from(out.sendString(Flux.fromIterable(frames))).thenReturn(true);
            return Mono.zip(sent, acked, (s, a) -> a).flatMap(a -> out.sendClose().thenReturn(a));
        }).next().defaultIfEmpty(false).timeout(Duration.ofSeconds(10));
        if (warmUpTopic == null) {
            return session;
        }
        Mono<Boolean> published = Flux.fromIterable(frames)
                .flatMap(frame -> publish(frame.getBytes(StandardCharsets.UTF_8), BodyFormat.NDJSON, null))
                .all(acked -> acked);
        return Mono.zip(session, published, (answered, acked) -> answered && acked);
    }

    private static boolean accepted(String ack) {
        return ack.contains("\"status\":\"accepted\"");
    }

    private Mono<Boolean> publish(byte[] body, BodyFormat format, EventKind kind) {
        long now = System.currentTimeMillis();
        if (!(intake.read(body, format, kind, now) instanceof IntakeOutcome.Batch read)
                || read.valid().isEmpty()) {
            return Mono.just(false);
        }
        return warmUpTopic.send(read.valid(), WarmUpKey.ID, now)
                .map(outcomes -> outcomes.stream().allMatch(SendOutcome::acked));
    }

    private static byte[] batch(int i) {
        StringBuilder array = new StringBuilder("[");
        for (int j = 0; j < BATCH_EVERY; j++) {
            array.append(j == 0 ? "" : ",").append(order(WarmUpKey.ID, i * BATCH_EVERY + j, true));
        }
        return array.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Varied values, so the intake's branches (sides, prices, quantities) are all taken as with real traffic. */
    static String order(int i, boolean withKind) {
        return order(WarmUpKey.ID, i, withKind);
    }

    private static String order(String idPrefix, int i, boolean withKind) {
        return "{" + (withKind ? "\"kind\":\"order\"," : "") + "\"eventId\":\"" + idPrefix + "-" + i
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
