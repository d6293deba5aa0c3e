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
 * {@code /v1/events/ws}: one text message per request, holding one event or, with a batch size above 1, that many
 * NDJSON lines (each event with its {@code kind}). The gateway answers every event with an ack
 * {@code {seq, eventId, status, reason, error}} on the same socket in arrival order, an accepted ack only after Kafka
 * acknowledged the event; a message refused as a whole (too large, too many events, not readable) gets one ack that
 * names no event. So each socket keeps its outstanding messages in a FIFO queue: the acks complete the oldest message
 * event by event, each ack checked against the id of the event it answers, and the message is answered when its last
 * event is (its latency runs to that ack, as an HTTP batch's runs to its response). Several sockets, round-robin.
 */
public final class WebSocketTransport implements Transport {

    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final int batchSize;

    /** One event per message. */
    public WebSocketTransport(String gatewayUrl, String apiKey, int connections, Duration connectTimeout) {
        this(gatewayUrl, apiKey, connections, 1, connectTimeout);
    }

    /** @param batchSize events per message: 1 sends a plain event, more send NDJSON lines */
    public WebSocketTransport(String gatewayUrl, String apiKey, int connections, int batchSize,
                              Duration connectTimeout) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("events per WebSocket message must be >= 1, was " + batchSize);
        }
        if (connections < 1) {
            throw new IllegalArgumentException("WebSocket connections must be >= 1, was " + connections);
        }
        this.batchSize = batchSize;
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
        return batchSize;
    }

    /**
     * Sends the events as one message (a resend may hold fewer than the batch size). Its answer: every event
     * accepted is {@code ack}; otherwise the outcome of its acks when they agree, {@code ws-mixed} when they do not.
     */
    @Override
    public CompletableFuture<SendResult> send(List<BenchEvent> events) {
        Socket socket = sockets.get(Math.floorMod(next.getAndIncrement(), sockets.size()));
        String[] ids = new String[events.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = events.get(i).eventId();
        }
        String text = events.size() == 1 ? WireJson.event(events.get(0), true) : WireJson.ndjson(events);
        return socket.send(text, ids);
    }

    /** One ack as it reads, for one event. */
    record Ack(String eventId, String status, String reason, long retryAfterMs, boolean accepted) {

        static final Ack UNREADABLE = new Ack(null, "unreadable-ack", "", -1, false);

        static Ack parse(String text) {
            try {
                JsonNode ack = ContractMapper.shared().readTree(text);
                JsonNode id = ack.path("eventId");
                JsonNode retryAfterMs = ack.path("retryAfterMs");
                return new Ack(id.isString() ? id.asString() : null, ack.path("status").asString("?"),
                        ack.path("reason").asString(""), retryAfterMs.isNumber() ? Math.max(0, retryAfterMs.asLong())
                        : -1, GatewayResponses.isAccepted(ack));
            } catch (RuntimeException e) {
                return UNREADABLE;
            }
        }

        /** {@code ack}, {@code ws-rejected}, {@code ws-unavailable-overloaded}, ... */
        String outcome() {
            if (accepted) {
                return "ack";
            }
            return "ws-" + status + (status.equals("unavailable") && !reason.isEmpty() ? "-" + reason : "");
        }

        /** An {@code unavailable} ack with {@code retryAfterMs}: the event may be sent again after that delay. */
        boolean resendable() {
            return !accepted && status.equals("unavailable") && retryAfterMs >= 0;
        }
    }

    /**
     * Reads one ack of a one-event message: accepted when its status says so; an {@code unavailable} ack with
     * {@code retryAfterMs} (the gateway overloaded, or Kafka down) asks for the event again after that delay.
     */
    static SendResult ack(String text) {
        Message message = new Message(new String[] {null});
        message.take(Ack.parse(text));
        return message.result();
    }

    @Override
    public void close() {
        for (Socket socket : sockets) {
            socket.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(2, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
            socket.failAll(new IllegalStateException("transport closed"));
        }
    }

    /**
     * One message on its socket, collecting the acks of its events in order. Only the listener thread of its socket
     * touches it after it was queued.
     */
    static final class Message {
        private final String[] ids;
        private final CompletableFuture<SendResult> answer = new CompletableFuture<>();
        private final List<Integer> acceptedIndexes = new ArrayList<>();
        private final List<Integer> resendIndexes = new ArrayList<>();
        private int acked;
        private String outcome;
        private long retryAfterMs = -1;
        private String resendReason;
        /** Wall-clock ms at which the message was handed to the socket's send; NOT_SENT until then. */
        private volatile long wireMs = SendResult.NOT_SENT;

        /** @param ids the events' ids in the order of the message's lines (null: not checked) */
        Message(String[] ids) {
            this.ids = ids;
        }

        /**
         * Takes the next ack of this message; true once the message is answered. The first ack of a message of
         * several events that names no event while the message's events all have ids is the gateway's refusal of
         * the whole message (body too large, too many events, not readable): it answers every event at once.
         */
        synchronized boolean take(Ack ack) {
            if (acked == 0 && ids.length > 1 && ack.eventId() == null && !ack.accepted()
                    && ack.status().equals("rejected")) {
                outcome = "ws-message-rejected" + (ack.reason().isEmpty() ? "" : "-" + ack.reason());
                acked = ids.length;
                return true;
            }
            int index = acked++;
            String expected = ids[index];
            String eventOutcome;
            if (expected != null && ack.eventId() != null && !expected.equals(ack.eventId())) {
                // the gateway answers in arrival order: an ack for another event is a protocol fault, not a success
                eventOutcome = "ws-ack-out-of-order";
            } else {
                eventOutcome = ack.outcome();
                if (ack.accepted()) {
                    acceptedIndexes.add(index);
                } else if (ack.resendable()) {
                    resendIndexes.add(index);
                    retryAfterMs = Math.max(retryAfterMs, ack.retryAfterMs());
                    if (resendReason == null) {
                        resendReason = ack.reason().isEmpty() ? ack.status() : ack.reason();
                    }
                }
            }
            outcome = outcome == null || outcome.equals(eventOutcome) ? eventOutcome : "ws-mixed";
            return acked == ids.length;
        }

        synchronized SendResult result() {
            SendResult.Resend resend = resendIndexes.isEmpty() ? null
                    : new SendResult.Resend(resendIndexes, retryAfterMs, resendReason);
            int accepted = acceptedIndexes.size();
            return new SendResult(ids.length, accepted, outcome,
                    accepted == 0 || accepted == ids.length ? null : acceptedIndexes, resend, wireMs);
        }

        void sentNow() {
            wireMs = System.currentTimeMillis();
        }

        /**
         * The socket failed before every ack came: the events acked as accepted so far stay accepted, the others
         * count as failed (the gateway may still have published them; stream-processor's dedup drops a resend).
         */
        synchronized void fail(Throwable error) {
            SendResult failed = SendResult.failed(ids.length, error).withWireMs(wireMs);
            int accepted = acceptedIndexes.size();
            answer.complete(accepted == 0 ? failed : new SendResult(ids.length, accepted, failed.outcome(),
                    accepted == ids.length ? null : acceptedIndexes, null, wireMs));
        }
    }

    /** One socket: sends are chained (the JDK allows one outstanding send), received parts are joined. */
    private static final class Socket implements WebSocket.Listener {
        private WebSocket ws;
        private final StringBuilder partial = new StringBuilder();
        private final Queue<Message> awaitingAck = new ConcurrentLinkedQueue<>();
        private CompletableFuture<WebSocket> lastSend = CompletableFuture.completedFuture(null);

        synchronized CompletableFuture<SendResult> send(String text, String[] ids) {
            Message message = new Message(ids);
            awaitingAck.add(message);
            lastSend = lastSend.exceptionally(e -> ws).thenCompose(w -> {
                message.sentNow();
                return ws.sendText(text, true);
            });
            lastSend.exceptionally(e -> {
                failAll(e);
                return null;
            });
            return message.answer;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                Message oldest = awaitingAck.peek();
                if (oldest != null && oldest.take(Ack.parse(text))) {
                    awaitingAck.poll();
                    oldest.answer.complete(oldest.result());
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
            Message m;
            while ((m = awaitingAck.poll()) != null) {
                m.fail(error);
            }
        }
    }
}
