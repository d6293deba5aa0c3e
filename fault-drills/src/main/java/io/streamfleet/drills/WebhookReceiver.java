package io.streamfleet.drills;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A webhook endpoint on loopback that a drill can make misbehave: answer 2xx, answer 500, answer 429 with
 * {@code Retry-After}, answer only after a delay longer than alert-api's request timeout, or be down (no listener on
 * its port). Every request is checked as a Standard Webhooks receiver would (HMAC-SHA256 over
 * {@code id.timestamp.body} with the subscription's secret) and recorded with its {@code webhook-id}.
 */
public final class WebhookReceiver implements AutoCloseable {

    public enum Mode { OK, FAIL_500, THROTTLE_429, SLOW, DOWN }

    /** One request: webhook-id, when it arrived, the answer given, whether the signature verified. */
    public record Request(String webhookId, long atMs, int answered, boolean signatureValid) {
    }

    private final String name;
    private final int port;
    private final long slowMs;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Long> firstSuccess = new ConcurrentHashMap<>();
    private final AtomicLong badSignatures = new AtomicLong();
    private volatile Mode mode = Mode.OK;
    private volatile byte[] key;
    private volatile HttpServer server;

    public WebhookReceiver(String name, long slowMs) {
        this.name = name;
        this.slowMs = slowMs;
        this.server = bind(0);
        this.port = server.getAddress().getPort();
    }

    private HttpServer bind(int onPort) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
            s.createContext("/", this::handle);
            s.setExecutor(Executors.newFixedThreadPool(8, r -> {
                Thread t = new Thread(r, "hook-" + name);
                t.setDaemon(true);
                return t;
            }));
            s.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback port " + onPort, e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/hooks/" + name;
    }

    public String name() {
        return name;
    }

    /** The subscription's {@code whsec_…} secret, to verify signatures. */
    public void secret(String whsec) {
        this.key = Base64.getDecoder().decode(whsec.substring(whsec.indexOf('_') + 1));
    }

    /** Switches behaviour; DOWN closes the listener, leaving DOWN binds the same port again. */
    public synchronized void mode(Mode newMode) {
        if (newMode == Mode.DOWN && server != null) {
            server.stop(0);
            server = null;
        } else if (newMode != Mode.DOWN && server == null) {
            server = bind(port);
        }
        mode = newMode;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String id = header(exchange, "webhook-id");
        boolean valid = verify(id, header(exchange, "webhook-timestamp"), header(exchange, "webhook-signature"), body);
        if (!valid) {
            badSignatures.incrementAndGet();
        }
        Mode now = mode;
        int status = switch (now) {
            case FAIL_500 -> 500;
            case THROTTLE_429 -> 429;
            default -> 204;
        };
        if (now == Mode.SLOW) {
            Sleep.ms(slowMs);
        }
        long at = System.currentTimeMillis();
        requests.add(new Request(id, at, status, valid));
        if (status / 100 == 2 && valid) {
            firstSuccess.putIfAbsent(id, at);
        }
        if (status == 429) {
            exchange.getResponseHeaders().add("Retry-After", "2");
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private static String header(HttpExchange exchange, String name) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null ? "" : value;
    }

    private boolean verify(String id, String timestamp, String signatures, byte[] body) {
        byte[] k = key;
        if (k == null || id.isEmpty() || timestamp.isEmpty()) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
            for (String candidate : signatures.split(" ")) {
                if (java.security.MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8),
                        expected.getBytes(StandardCharsets.UTF_8))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** webhook-id → wall time of its first 2xx answer with a valid signature. */
    public Map<String, Long> delivered() {
        return Map.copyOf(firstSuccess);
    }

    public long badSignatures() {
        return badSignatures.get();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }
}
