package io.streamfleet.alerts.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.alerts.intake.LateIntake;
import io.streamfleet.alerts.late.board.LateEventBoard;
import io.streamfleet.alerts.late.board.LateQuery;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.contracts.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CPU per late record of alert-api's late-topic handler (decode + board), on this thread, with real serialised order
 * events as stream-processor writes them to {@code orders.late}; plus the heap the board holds when full and the cost
 * of one full query. Args: {@code records=2000000 keys=50000 maxKeys=10000}.
 */
public final class LateIntakeBenchmark {

    public static void main(String[] args) {
        int records = arg(args, "records", 2_000_000);
        int keys = arg(args, "keys", 50_000);
        int maxKeys = arg(args, "maxKeys", 10_000);
        List<ConsumerRecord<byte[], byte[]>> input = input(Math.min(records, 200_000), keys);
        var threads = ManagementFactory.getThreadMXBean();
        long now = System.currentTimeMillis();

        LateEventBoard board = new LateEventBoard(15 * 60_000L, maxKeys);
        LateIntake intake = new LateIntake(board, List.of("orders.late"), new SimpleMeterRegistry(), () -> now);
        for (int i = 0; i < records / 4; i++) {
            intake.accept(input.get(i % input.size()));
        }
        long cpu0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < records; i++) {
            intake.accept(input.get(i % input.size()));
        }
        long cpu1 = threads.getCurrentThreadCpuTime();
        System.out.printf("intake: %d records, %d distinct keys, max-keys %d: %.0f ns CPU per record%n", records,
                keys, maxKeys, (cpu1 - cpu0) / (double) records);

        long q0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < 100; i++) {
            board.query(new LateQuery(null, null, null, 100), now);
        }
        long q1 = threads.getCurrentThreadCpuTime();
        System.out.printf("query over %d keys (sort, limit 100): %.2f ms CPU each%n", board.size(),
                (q1 - q0) / 100 / 1e6);

        Runtime rt = Runtime.getRuntime();
        input = null;
        board = null;
        intake = null;
        long before = used(rt);
        LateEventBoard full = new LateEventBoard(15 * 60_000L, maxKeys);
        for (int i = 0; i < maxKeys; i++) {
            full.record(new io.streamfleet.alerts.late.board.LateRecord("orders.late", "stream-processor",
                    "acc-" + i + "|SYM" + (i % 50), now, 1, now));
        }
        long after = used(rt);
        System.out.printf("board full with %d keys: about %.0f bytes per key (heap delta after GC)%n", full.size(),
                (after - before) / (double) full.size());
    }

    private static long used(Runtime rt) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static List<ConsumerRecord<byte[], byte[]>> input(int count, int keys) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(count);
        long base = System.currentTimeMillis() - 60_000;
        for (int i = 0; i < count; i++) {
            String account = "acc-" + (i % keys);
            String symbol = "SYM" + (i % 50);
            OrderEvent event = new OrderEvent("e-" + i, account, symbol, OrderEventType.CREATED, "o-" + i, Side.BUY,
                    101.25, 10, base + i % 10_000);
            RecordHeaders headers = new RecordHeaders();
            headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(base));
            headers.add(Headers.LATE_AT_STAGE, "stream-processor".getBytes(StandardCharsets.UTF_8));
            headers.add(Headers.LATE_WATERMARK_MS, Headers.encodeLong(base + 20_000));
            records.add(new ConsumerRecord<>("orders.late", i % 3, i, base, TimestampType.CREATE_TIME, -1, -1,
                    (account + "|" + symbol).getBytes(StandardCharsets.UTF_8),
                    Topics.ORDER_EVENT_SERDE.serializer().serialize("orders.late", event), headers,
                    Optional.empty()));
        }
        return records;
    }

    private static int arg(String[] args, String name, int fallback) {
        for (String arg : args) {
            if (arg.startsWith(name + "=")) {
                return Integer.parseInt(arg.substring(name.length() + 1));
            }
        }
        return fallback;
    }
}
