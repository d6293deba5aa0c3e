package io.streamfleet.bench.sse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows {@code GET /v1/alerts/stream} in a background thread and records each alert with its arrival time.
 * Reconnects with {@code Last-Event-ID} if the stream drops, so the feed's resume guarantee is exercised too.
 */
public final class SseSubscriber implements AutoCloseable {

    private final URI uri;
    private final String apiKey;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ReceivedAlert> alerts = new CopyOnWriteArrayList<>();
    private final CountDownLatch connected = new CountDownLatch(1);
    private final AtomicLong reconnects = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile InputStream body;
    private volatile String lastId;
    private volatile String lastProblem = "";

    public SseSubscriber(String alertApiUrl, String apiKey) {
        String base = alertApiUrl.endsWith("/") ? alertApiUrl.substring(0, alertApiUrl.length() - 1) : alertApiUrl;
        this.uri = URI.create(base + "/v1/alerts/stream");
        this.apiKey = apiKey;
        this.thread = new Thread(this::loop, "bench-sse");
        this.thread.setDaemon(true);
    }

    /** Starts following and waits until the stream is open (or the timeout passes). */
    public boolean start(Duration timeout) throws InterruptedException {
        thread.start();
        return connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void loop() {
        while (!stopped) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + apiKey)
                        .header("Accept", "text/event-stream").GET();
                if (lastId != null) {
                    request.header("Last-Event-ID", lastId);
                }
                HttpResponse<InputStream> response = client.send(request.build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    lastProblem = "HTTP " + response.statusCode();
                    response.body().close();
                    pause();
                    continue;
                }
                body = response.body();
                connected.countDown();
                read(body);
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!stopped) {
                reconnects.incrementAndGet();
                pause();
            }
        }
    }

    private void read(InputStream in) throws IOException {
        SseParser parser = new SseParser();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while (!stopped && (line = reader.readLine()) != null) {
                parser.line(line).ifPresent(event -> {
                    ReceivedAlert alert = ReceivedAlert.from(event.id(), event.data(), System.currentTimeMillis());
                    if (alert != null) {
                        alerts.add(alert);
                    }
                });
                if (parser.lastId() != null) {
                    lastId = parser.lastId();
                }
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    public List<ReceivedAlert> alerts() {
        return List.copyOf(alerts);
    }

    public long reconnects() {
        return reconnects.get();
    }

    public String lastProblem() {
        return lastProblem;
    }

    @Override
    public void close() {
        stopped = true;
        InputStream in = body;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing a half-read stream may fail; the thread ends either way
            }
        }
        thread.interrupt();
        try {
            thread.join(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
