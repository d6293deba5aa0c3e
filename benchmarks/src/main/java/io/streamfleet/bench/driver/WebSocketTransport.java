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
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code /v1/events/ws}: one text message per event (with its {@code kind}). The gateway answers every event with
 * an ack {@code {seq, eventId, status, reason, error}} on the same socket in arrival order, an accepted ack only after
 * Kafka acknowledged the event; so each socket keeps its outstanding sends in a FIFO queue and an ack completes the
 * oldest. Several sockets, round-robin.
 */
public final class WebSocketTransport implements Transport {

    private final List<Socket> sockets = new ArrayList<>();
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
        Socket socket = sockets.get(Math.floorMod(next.getAndIncrement(), sockets.size()));
        return socket.send(WireJson.event(events.get(0), true));
    }

    /**
     * Reads one ack: accepted when its status says so; an {@code unavailable} ack with {@code retryAfterMs} (the
     * gateway overloaded, or Kafka down) asks for the event again after that delay.
     */
    static SendResult ack(String text) {
        try {
            JsonNode ack = ContractMapper.shared().readTree(text);
            if (GatewayResponses.isAccepted(ack)) {
                return new SendResult(1, 1, "ack");
            }
            String status = ack.path("status").asString("?");
            String reason = ack.path("reason").asString("");
            JsonNode retryAfterMs = ack.path("retryAfterMs");
            SendResult.Resend resend = status.equals("unavailable") && retryAfterMs.isNumber()
                    ? new SendResult.Resend(List.of(0), Math.max(0, retryAfterMs.asLong()),
                    reason.isEmpty() ? status : reason)
                    : null;
            String outcome = "ws-" + status + (status.equals("unavailable") && !reason.isEmpty() ? "-" + reason : "");
            return new SendResult(1, 0, outcome, null, resend);
        } catch (RuntimeException e) {
            return new SendResult(1, 0, "ws-unreadable-ack");
        }
    }

    @Override
    public void close() {
        for (Socket socket : sockets) {
            socket.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(2, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
            socket.failAll(new IllegalStateException("transport closed"));
        }
    }

    /** One socket: sends are chained (the JDK allows one outstanding send), received parts are joined. */
    private static final class Socket implements WebSocket.Listener {
        private WebSocket ws;
        private final StringBuilder partial = new StringBuilder();
        private final Queue<CompletableFuture<SendResult>> awaitingAck = new ConcurrentLinkedQueue<>();
        private CompletableFuture<WebSocket> lastSend = CompletableFuture.completedFuture(null);

        synchronized CompletableFuture<SendResult> send(String text) {
            CompletableFuture<SendResult> result = new CompletableFuture<>();
            awaitingAck.add(result);
            lastSend = lastSend.exceptionally(e -> ws).thenCompose(w -> ws.sendText(text, true));
            lastSend.exceptionally(e -> {
                failAll(e);
                return null;
            });
            return result;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                CompletableFuture<SendResult> oldest = awaitingAck.poll();
                if (oldest != null) {
                    oldest.complete(ack(text));
                }
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

        void failAll(Throwable error) {
            CompletableFuture<SendResult> f;
            while ((f = awaitingAck.poll()) != null) {
                f.complete(SendResult.failed(1, error));
            }
        }
    }
}
