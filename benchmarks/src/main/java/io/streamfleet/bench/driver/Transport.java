package io.streamfleet.bench.driver;

import io.streamfleet.bench.scenario.BenchEvent;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/** How events reach the gateway. Implementations are thread-safe; the future completes, never fails. */
public interface Transport extends AutoCloseable {

    /** Events per request this transport sends (1 for single POSTs and WebSocket messages). */
    int batchSize();

    CompletableFuture<SendResult> send(List<BenchEvent> events);

    /**
     * The thread the open loop should pace its sends on: the transport's own I/O thread, where a send needs no
     * hand-over to another thread; empty when the transport has none to offer (the runner then uses its own).
     */
    default Optional<ScheduledExecutorService> pacingLoop() {
        return Optional.empty();
    }

    @Override
    void close();
}
