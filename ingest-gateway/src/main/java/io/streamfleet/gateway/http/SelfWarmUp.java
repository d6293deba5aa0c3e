package io.streamfleet.gateway.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.streamfleet.gateway.publishing.IngestService;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the request path hot before the gateway reports ready: synthetic order events POSTed to its own port over
 * loopback, through Netty, routing, the controller, intake and the JSON answer, into a throwaway ingest path whose
 * sink never reaches a broker (so nothing lands in the real topics). A request takes the throwaway path only with this
 * process's random token in {@link #HEADER}, and only while the warm-up runs; it skips the API-key guard, which it
 * could not pass without a real key. A cold JVM on two cores answers its first thousands of requests slowly while the
 * JIT compiles this path; here that happens before the load balancer sends traffic.
 */
public final class SelfWarmUp {

    public static final String HEADER = "X-Streamfleet-Warm-Up";

    private static final int BATCH_EVERY = 10;

    private volatile IngestService throwaway;
    private volatile byte[] token;
    private volatile Result lastRun = new Result(0, 0, Duration.ZERO);

    /** @param throwaway the ingest path for warm-up requests; dropped after the run (its sink keeps what it got) */
    public SelfWarmUp(IngestService throwaway) {
        this.throwaway = throwaway;
    }

    /** No warm-up: never admits a request. */
    public static SelfWarmUp none() {
        return new SelfWarmUp(null);
    }

    /** True for the running warm-up's own requests (by their {@link #HEADER}). */
    public boolean admits(HttpHeaders headers) {
        return serviceFor(headers) != null;
    }

    /** The throwaway path for the running warm-up's own requests, else null (one volatile read when none runs). */
    IngestService serviceFor(HttpHeaders headers) {
        byte[] expected = token;
        if (expected == null) {
            return null;
        }
        IngestService service = throwaway;
        String header = headers.getFirst(HEADER);
        if (service == null || header == null) {
            return null;
        }
        return MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.US_ASCII)) ? service : null;
    }

    /** What a run did. */
    public record Result(int sent, int accepted, Duration took) {
    }

    /** What the last run did (nothing before the first). */
    public Result lastRun() {
        return lastRun;
    }

    /**
     * Posts up to {@code requests} requests (every {@value #BATCH_EVERY}th an array of {@value #BATCH_EVERY} events to
     * {@code /v1/events}, the others one event to {@code /v1/orders}), {@code concurrency} at a time, for at most
     * {@code maxTime}; afterwards no request is admitted to the throwaway path any more.
     */
    public Result run(int port, int requests, int concurrency, Duration maxTime) {
        if (throwaway == null) {
            return new Result(0, 0, Duration.ZERO);
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String header = HexFormat.of().formatHex(secret);
        token = header.getBytes(StandardCharsets.US_ASCII);
        ConnectionProvider pool = ConnectionProvider.create("gateway-warm-up", concurrency);
        long started = System.nanoTime();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        try {
            HttpClient client = HttpClient.create(pool).baseUrl("http://127.0.0.1:" + port)
                    .headers(h -> h.set(HEADER, header).set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
            Flux.range(0, requests)
                    .flatMap(i -> post(client, i).doOnNext(status -> {
                        sent.incrementAndGet();
                        if (status == 202) {
                            accepted.incrementAndGet();
                        }
                    }), concurrency)
                    .take(maxTime)
                    .onErrorComplete()
                    .blockLast(maxTime.plusSeconds(5));
        } finally {
            token = null;
            throwaway = null;
            pool.disposeLater().block(Duration.ofSeconds(5));
        }
        lastRun = new Result(sent.get(), accepted.get(), Duration.ofNanos(System.nanoTime() - started));
        return lastRun;
    }

    private static Mono<Integer> post(HttpClient client, int i) {
        boolean batch = i % BATCH_EVERY == BATCH_EVERY - 1;
        String body;
        if (batch) {
            StringBuilder array = new StringBuilder("[");
            for (int j = 0; j < BATCH_EVERY; j++) {
                array.append(j == 0 ? "" : ",").append(order(i * BATCH_EVERY + j, true));
            }
            body = array.append(']').toString();
        } else {
            body = order(i, false);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return client.post().uri(batch ? "/v1/events" : "/v1/orders")
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(bytes)))
                .responseSingle((response, content) -> content.then(Mono.just(response.status().code())))
                .onErrorReturn(0);
    }

    private static String order(int i, boolean withKind) {
        return "{" + (withKind ? "\"kind\":\"order\"," : "") + "\"eventId\":\"warm-up-" + i + "\",\"accountId\":\"acc-"
                + i % 1000 + "\",\"symbol\":\"SYM" + i % 50 + "\",\"eventType\":\"CREATED\",\"orderId\":\"o-" + i
                + "\",\"side\":\"" + (i % 2 == 0 ? "BUY" : "SELL") + "\",\"price\":" + (100 + i % 50) + ".25,\"qty\":"
                + (1 + i % 500) + ",\"eventTimeMs\":" + System.currentTimeMillis() + "}";
    }
}
