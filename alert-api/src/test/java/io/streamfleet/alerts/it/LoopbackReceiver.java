package io.streamfleet.alerts.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A real HTTP server on loopback standing in for webhook endpoints: one endpoint per path, each answering from a
 * script of responses (then a default), and recording every request it got with its arrival time.
 */
public final class LoopbackReceiver implements AutoCloseable {

    /** What an endpoint answers: a status, optional Retry-After, and a delay before answering (to force timeouts). */
    public record Answer(int status, String retryAfter, long delayMs) {
        public static Answer status(int status) {
            return new Answer(status, null, 0);
        }
    }

    /** A request as received. */
    public record Received(Map<String, String> headers, byte[] body, long arrivedAtNanos, long arrivedAtMs,
                           int answeredStatus) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One webhook endpoint (a path). */
    public static final class Endpoint {
        private final String url;
        private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
        private volatile Answer fallback = Answer.status(200);
        private final List<Received> received = new CopyOnWriteArrayList<>();

        Endpoint(String url) {
            this.url = url;
        }

        public String url() {
            return url;
        }

        /** Answers these first, in order, then the fallback. */
        public Endpoint thenAnswer(Answer... answers) {
            script.addAll(List.of(answers));
            return this;
        }

        public Endpoint alwaysAnswer(Answer answer) {
            fallback = answer;
            return this;
        }

        public List<Received> received() {
            return received;
        }

        /** Requests answered with a 2xx. */
        public List<Received> delivered() {
            return received.stream().filter(r -> r.answeredStatus() >= 200 && r.answeredStatus() < 300).toList();
        }

        Answer next() {
            Answer scripted = script.poll();
            return scripted != null ? scripted : fallback;
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    public LoopbackReceiver() throws IOException {
        this(16);
    }

    public LoopbackReceiver(int threadCount) throws IOException {
        // as a production receiver would: answer small responses without Nagle's delay (read once, on first use)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        threads = Executors.newFixedThreadPool(threadCount);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public Endpoint endpoint(String name) {
        String path = "/hook/" + name;
        return endpoints.computeIfAbsent(path, p -> new Endpoint("http://127.0.0.1:" + server.getAddress().getPort() + p));
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        long arrivedAtMs = System.currentTimeMillis();
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Endpoint endpoint = endpoints.get(exchange.getRequestURI().getPath());
            Answer answer = endpoint == null ? Answer.status(404) : endpoint.next();
            Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream().collect(Collectors.toMap(
                    e -> e.getKey().toLowerCase(Locale.ROOT), e -> String.join(",", e.getValue()), (a, b) -> a));
            if (endpoint != null) {
                int answered = answer.delayMs() > 0 ? 0 : answer.status();
                endpoint.received.add(new Received(headers, body, arrived, arrivedAtMs, answered));
            }
            if (answer.delayMs() > 0) {
                Thread.sleep(answer.delayMs());
            }
            if (answer.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", answer.retryAfter());
            }
            exchange.sendResponseHeaders(answer.status(), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (timeout): that is the point of a delayed answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
