package io.streamfleet.gateway.http;

import io.streamfleet.gateway.intake.BodyFormat;
import io.streamfleet.gateway.intake.EventIntake;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.intake.IntakeOutcome;
import io.streamfleet.gateway.publishing.EventSink;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import io.streamfleet.gateway.publishing.IngestService;
import io.streamfleet.gateway.publishing.SendOutcome;
import io.streamfleet.gateway.warmup.WarmUpKey;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One self-warm-up request: a synthetic order (every tenth request an array of ten, to {@code /v1/events}) POSTed over
 * loopback to the gateway's own dry-run route, which runs Netty, routing, the guard, intake, admission and the
 * answer exactly as a real request does; and at the same time the same events, read by the same intake, sent through
 * a sink built as the real one over the real producer, but addressed to the warm-up topic. So the producer's send
 * path, its I/O thread and the broker connection are warm too, and no warm-up event is ever in a domain topic.
 * Another tenth of the requests, when a WebSocket dry-run path is given, are a WebSocket exchange on it instead:
 * {@link #WS_FRAMES} messages (single events and one NDJSON batch) on a socket that stays open from one exchange to
 * the next, as a real client's does (the handshake with the warm-up key once per socket), every event's ack read and
 * checked; their events go to the warm-up topic too, one send per message.
 *
 * <p>The client side is {@link LoopbackConnection}: blocking keep-alive sockets on threads of their own, one per
 * request in flight, not Reactor Netty's client on the server's event loops (the profile that led to it is in
 * docs/ingest-gateway.md).
 */
public final class LoopbackWarmUp implements AutoCloseable {

    static final int BATCH_EVERY = 10;
    /** Request i is a WebSocket exchange when {@code i % BATCH_EVERY == WS_AT} (and a WebSocket path is given). */
    static final int WS_AT = 4;
    /** Messages per WebSocket exchange: all but the last carry one event, the last {@link #WS_BATCH} NDJSON lines. */
    public static final int WS_FRAMES = 8;
    public static final int WS_BATCH = 5;
    /** The prefix of the eventIds sent over the WebSocket (the others are {@code gateway-warm-up-<n>}). */
    public static final String WS_ID = WarmUpKey.ID + "-ws";
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private final String bearer;
    private final byte[] ordersHead;
    private final byte[] eventsHead;
    private final EventIntake intake;
    private final EventSink warmUpTopic;
    private final String webSocketPath;
    private final ExecutorService threads;
    private final Scheduler scheduler;
    private final Queue<LoopbackConnection> idleHttp = new ConcurrentLinkedQueue<>();
    private final Queue<LoopbackConnection> idleWebSockets = new ConcurrentLinkedQueue<>();
    private final Set<LoopbackConnection> all = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param connections   requests in flight at most (as many threads and keep-alive connections)
     * @param warmUpTopic   where the events go after the dry run; null: the producer is not warmed
     * @param webSocketPath the WebSocket dry-run path; null: the WebSocket path is not warmed
     */
    public LoopbackWarmUp(int port, WarmUpKey key, int connections, EventIntake intake, EventSink warmUpTopic,
                          String webSocketPath) {
        this.port = port;
        this.bearer = key.bearer();
        this.ordersHead = LoopbackConnection.head("/v1/orders/dry-run", port, bearer, "application/json");
        this.eventsHead = LoopbackConnection.head("/v1/events/dry-run", port, bearer, "application/json");
        this.intake = intake;
        this.warmUpTopic = warmUpTopic;
        this.webSocketPath = webSocketPath;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(connections, r -> {
            Thread t = new Thread(r, "gateway-warm-up-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.scheduler = Schedulers.fromExecutorService(threads, "gateway-warm-up");
    }

    /** Request {@code i}: true when the dry run answered 200 and every event was acknowledged in the warm-up topic. */
    public Mono<Boolean> step(int i) {
        return Mono.fromCallable(() -> blockingStep(i)).subscribeOn(scheduler);
    }

    private boolean blockingStep(int i) throws Exception {
        if (webSocketPath != null && i % BATCH_EVERY == WS_AT) {
            return webSocketExchange(i);
        }
        boolean batch = i % BATCH_EVERY == BATCH_EVERY - 1;
        byte[] body = batch ? batch(i) : order(i, false).getBytes(StandardCharsets.UTF_8);
        // both at once: the step takes as long as the slower of the two, not their sum
        CompletableFuture<Boolean> published = warmUpTopic == null ? CompletableFuture.completedFuture(true)
                : publish(body, BodyFormat.JSON, batch ? null : EventKind.ORDER, GatewayMetrics.HTTP).toFuture();
        LoopbackConnection connection = take(idleHttp);
        boolean answered;
        try {
            answered = connection.post(batch ? eventsHead : ordersHead, body) == 200;
        } finally {
            release(connection, idleHttp);
        }
        return published.get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) && answered;
    }

    /**
     * {@link #WS_FRAMES} messages on an open WebSocket of the dry-run path: true when every event got an
     * {@code accepted} ack (acks arrive in order, one per event) and every event was acknowledged in the warm-up
     * topic.
     */
    private boolean webSocketExchange(int i) throws Exception {
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
        List<CompletableFuture<Boolean>> published = new ArrayList<>(frames.size());
        if (warmUpTopic != null) {
            for (String frame : frames) {
                published.add(publish(frame.getBytes(StandardCharsets.UTF_8), BodyFormat.NDJSON, null,
                        GatewayMetrics.WEBSOCKET).toFuture());
            }
        }
        LoopbackConnection socket = idleWebSockets.poll();
        if (socket == null) {
            socket = open();
            if (!socket.upgrade(webSocketPath, port, bearer)) {
                discard(socket);
                return false;
            }
        }
        int accepted = 0;
        try {
            for (String frame : frames) {
                socket.sendText(frame.getBytes(StandardCharsets.UTF_8));
            }
            for (int e = 0; e < events; e++) {
                if (accepted(socket.readText())) {
                    accepted++;
                }
            }
        } finally {
            release(socket, idleWebSockets);
        }
        boolean acked = true;
        for (CompletableFuture<Boolean> p : published) {
            acked &= p.get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        return accepted == events && acked;
    }

    private LoopbackConnection take(Queue<LoopbackConnection> idle) throws IOException {
        LoopbackConnection connection = idle.poll();
        return connection != null ? connection : open();
    }

    private LoopbackConnection open() throws IOException {
        if (closed) {
            throw new IOException("the warm-up's client is closed");
        }
        LoopbackConnection connection = new LoopbackConnection(port);
        all.add(connection);
        return connection;
    }

    /** Back to the idle ones if it can serve another request, else closed. */
    private void release(LoopbackConnection connection, Queue<LoopbackConnection> idle) {
        if (connection.isOpen() && !closed) {
            idle.add(connection);
        } else {
            discard(connection);
        }
    }

    private void discard(LoopbackConnection connection) {
        all.remove(connection);
        connection.close();
    }

    private static boolean accepted(String ack) {
        return ack.contains("\"status\":\"accepted\"");
    }

    /** Publishes as a request of {@code channel} would be, through the producer such a request takes. */
    private Mono<Boolean> publish(byte[] body, BodyFormat format, EventKind kind, String channel) {
        long now = System.currentTimeMillis();
        if (!(intake.read(body, format, kind, now) instanceof IntakeOutcome.Batch read)
                || read.valid().isEmpty()) {
            return Mono.just(false);
        }
        return warmUpTopic.send(read.valid(), WarmUpKey.ID, now)
                .contextWrite(Context.of(EventSink.LANE, IngestService.laneFor(read.valid().size(), channel)))
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

    /** Closes every connection (a WebSocket with a close frame) and stops the threads; steps still running fail. */
    @Override
    public void close() {
        closed = true;
        LoopbackConnection socket;
        while ((socket = idleWebSockets.poll()) != null) {
            all.remove(socket);
            socket.closeWebSocket();
        }
        all.forEach(LoopbackConnection::close);
        all.clear();
        idleHttp.clear();
        scheduler.dispose();
        threads.shutdownNow();
    }
}
