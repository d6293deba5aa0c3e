package io.streamfleet.bench.driver;

import io.streamfleet.bench.scenario.BenchEvent;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** How events reach the gateway. Implementations are thread-safe; the future completes, never fails. */
public interface Transport extends AutoCloseable {

    /** Events per request this transport sends (1 for single POSTs and WebSocket messages). */
    int batchSize();

    CompletableFuture<SendResult> send(List<BenchEvent> events);

    @Override
    void close();
}
