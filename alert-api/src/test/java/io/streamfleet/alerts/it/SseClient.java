package io.streamfleet.alerts.it;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test SSE client that parses the stream as the HTML spec says a browser does: {@code id:} sets the last event id
 * even on events without data, comments are kept apart, data events are queued.
 */
public final class SseClient implements AutoCloseable {

    /** A dispatched event, with the wall-clock time it was read off the wire. */
    public record Event(String id, String data, long receivedAtMs) {
        public Event(String id, String data) {
            this(id, data, System.currentTimeMillis());
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final int status;
    private final InputStream body;
    private final Thread reader;
    private volatile String lastEventId;
    private volatile Long retryMs;
    private volatile boolean ended;
    private volatile boolean endedCleanly;

    private SseClient(HttpResponse<InputStream> response) {
        this.status = response.statusCode();
        this.body = response.body();
        this.reader = new Thread(this::read, "sse-test-client");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public static SseClient open(URI uri, String key, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String idBuffer = lastEventId;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    lastEventId = idBuffer;
                    if (data != null) {
                        events.add(new Event(idBuffer, data.toString()));
                    }
                    data = null;
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).trim());
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> idBuffer = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        case "retry" -> retryMs = Long.parseLong(value);
                        default -> { }
                    }
                }
            }
            endedCleanly = true;
        } catch (IOException e) {
            // closed by the test or the server
        } finally {
            ended = true;
        }
    }

    public int status() {
        return status;
    }

    /** Waits for the next data event. */
    public Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes {@code count} data events, or fewer if the timeout passes. */
    public List<Event> take(int count, Duration timeout) throws InterruptedException {
        List<Event> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taken.size() < count) {
            Event event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                break;
            }
            taken.add(event);
        }
        return taken;
    }

    public List<String> comments() {
        return comments;
    }

    public String lastEventId() {
        return lastEventId;
    }

    public Long retryMs() {
        return retryMs;
    }

    public boolean ended() {
        return ended;
    }

    /** The server ended the response properly (last chunk), rather than the connection breaking off. */
    public boolean endedCleanly() {
        return endedCleanly;
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
