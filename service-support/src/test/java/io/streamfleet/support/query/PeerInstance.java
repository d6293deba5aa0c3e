package io.streamfleet.support.query;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Another instance's query port, played by the JDK's HTTP server: answers every GET and keeps what it was asked. */
final class PeerInstance implements AutoCloseable {

    /** One request as the peer saw it: path and query, and the forwarded header (null when absent). */
    record Request(String uri, String forwarded) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private PeerInstance(int status, String body, long delayMs) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            requests.add(new Request(exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst(InteractiveQueries.FORWARDED)));
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    static PeerInstance answering(int status, String body) throws IOException {
        return new PeerInstance(status, body, 0);
    }

    static PeerInstance answeringAfter(long delayMs, String body) throws IOException {
        return new PeerInstance(200, body, delayMs);
    }

    HostInfo host() {
        return new HostInfo("127.0.0.1", server.getAddress().getPort());
    }

    List<Request> requests() {
        return requests;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
