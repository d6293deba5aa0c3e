package io.streamfleet.bench.driver;

import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.contracts.json.ContractMapper;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code /v1/events/ws}: one text frame per event (with its {@code kind}); the gateway acknowledges each event by
 * its {@code eventId} after the Kafka ack, or reports its errors, on the same socket. Several sockets, round-robin.
 */
public final class WebSocketTransport implements Transport {

    private final List<Socket> sockets = new ArrayList<>();
    private final Map<String, Queue<CompletableFuture<SendResult>>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    public WebSocketTransport(String gatewayUrl, String apiKey, int connections, Duration connectTimeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        String base = gatewayUrl.replaceFirst("^http", "ws");
        URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/events/ws");
        for (int i = 0; i < connections; i++) {
            Socket socket = new Socket();
            socket.ws = client.newWebSocketBuilder().header("Authorization", "Bearer " + apiKey)
                    .connectTimeout(connectTimeout).buildAsync(uri, socket)
                    .orTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS).join();
            sockets.add(socket);
        }
    }

    @Override
    public int batchSize() {
        return 1;
    }

    @Override
    public CompletableFuture<SendResult> send(List<BenchEvent> events) {
        BenchEvent event = events.get(0);
        CompletableFuture<SendResult> result = new CompletableFuture<>();
        pending.computeIfAbsent(event.eventId(), k -> new ConcurrentLinkedQueue<>()).add(result);
        Socket socket = sockets.get(Math.floorMod(next.getAndIncrement(), sockets.size()));
        socket.send(WireJson.event(event, true)).exceptionally(e -> {
            complete(event.eventId(), SendResult.failed(1, e));
            return null;
        });
        return result;
    }

    private void complete(String eventId, SendResult result) {
        Queue<CompletableFuture<SendResult>> queue = pending.get(eventId);
        CompletableFuture<SendResult> future = queue == null ? null : queue.poll();
        if (future != null) {
            future.complete(result);
        }
    }

    private void onMessage(String text) {
        JsonNode root;
        try {
            root = ContractMapper.shared().readTree(text);
        } catch (RuntimeException e) {
            return;
        }
        if (root.isArray()) {
            root.forEach(this::onAck);
        } else if (root.path("acks").isArray()) {
            root.path("acks").forEach(this::onAck);
        } else {
            onAck(root);
        }
    }

    private void onAck(JsonNode ack) {
        String eventId = ack.path("eventId").asString("");
        if (!eventId.isEmpty()) {
            boolean accepted = GatewayResponses.isAccepted(ack) || ack.path("type").asString("").equals("ack");
            complete(eventId, new SendResult(1, accepted ? 1 : 0, accepted ? "ack" : "ws-error"));
        }
    }

    private void failAll(Throwable error) {
        pending.forEach((id, queue) -> {
            CompletableFuture<SendResult> f;
            while ((f = queue.poll()) != null) {
                f.complete(SendResult.failed(1, error));
            }
        });
    }

    @Override
    public void close() {
        for (Socket socket : sockets) {
            socket.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(2, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        failAll(new IllegalStateException("transport closed"));
    }

    /** One socket: sends are chained (the JDK allows one outstanding send), received parts are joined. */
    private final class Socket implements WebSocket.Listener {
        private WebSocket ws;
        private final StringBuilder partial = new StringBuilder();
        private CompletableFuture<WebSocket> lastSend = CompletableFuture.completedFuture(null);

        synchronized CompletableFuture<WebSocket> send(String text) {
            lastSend = lastSend.exceptionally(e -> ws).thenCompose(w -> ws.sendText(text, true));
            return lastSend;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                onMessage(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            failAll(new IllegalStateException("socket closed " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failAll(error);
        }
    }
}
