package io.streamfleet.bench.cli;

import io.netty.buffer.Unpooled;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.nio.charset.StandardCharsets;

/**
 * A trivial endpoint for checking load generators against each other: answers every POST at once with 202 and a
 * gateway-like body, reading and dropping the request body; nothing else runs in it. Port 0 picks a free one.
 * Used by the driver tests, and by hand to compare {@code fleet-bench ingest} with {@code wrk} where the server
 * costs next to nothing (docs/PERFORMANCE.md).
 */
public final class TrivialIngestServer implements AutoCloseable {

    private static final byte[] BODY = ("{\"accepted\":1,\"rejected\":0,\"unavailable\":0,\"results\":[{\"index\":0,"
            + "\"eventId\":\"x\",\"status\":\"accepted\",\"topic\":\"orders.raw\",\"partition\":0,\"offset\":0}]}")
            .getBytes(StandardCharsets.UTF_8);

    private final DisposableServer server;

    public TrivialIngestServer(int port) {
        this.server = HttpServer.create().host("127.0.0.1").port(port)
                .handle((request, response) -> request.receive().then(
                        response.status(202).header("Content-Type", "application/json")
                                .header("Content-Length", Integer.toString(BODY.length))
                                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(BODY))).then()))
                .bindNow();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.disposeNow();
    }

    public static void main(String[] args) throws InterruptedException {
        try (TrivialIngestServer s = new TrivialIngestServer(args.length > 0 ? Integer.parseInt(args[0]) : 0)) {
            System.out.println("trivial ingest endpoint on http://127.0.0.1:" + s.port() + " (Ctrl-C stops it)");
            Thread.currentThread().join();
        }
    }
}
