package io.streamfleet.processor.topology;

import org.apache.kafka.streams.processor.api.ProcessorContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reports the on-disk size of a task's stores now and then (walking RocksDB directories is not free). */
final class StoreSizeReporter {

    private static final long EVERY_MS = 10_000;
    private final ProcessorContext<?, ?> context;
    private final ProcessorMetrics metrics;
    private final List<String> stores;
    private final String task;
    private long lastMs = Long.MIN_VALUE;

    StoreSizeReporter(ProcessorContext<?, ?> context, ProcessorMetrics metrics, String... stores) {
        this.context = context;
        this.metrics = metrics;
        this.stores = List.of(stores);
        this.task = context.taskId().toString();
    }

    void maybeReport(long wallClockMs) {
        if (lastMs != Long.MIN_VALUE && wallClockMs - lastMs < EVERY_MS) {
            return;
        }
        lastMs = wallClockMs;
        for (String store : stores) {
            metrics.reportStoreBytes(task, store, sizeOf(context.stateDir().toPath().resolve(store)));
        }
    }

    static long sizeOf(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(StoreSizeReporter::size).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
