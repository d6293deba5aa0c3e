package io.streamfleet.processor.bench;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.processor.StreamProcessorApplication;
import io.streamfleet.support.rocksdb.BoundedMemoryRocksDbConfig;
import io.streamfleet.support.streams.ManagedKafkaStreams;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Benchmark (not a test): events/s through dedup + lateness + windowed stats of the real stream-processor (Spring
 * wiring, exactly-once v2, RocksDB with the bounded config setter) against the in-JVM KRaft broker of the testkit.
 * <p>
 * {@code N} order events (plus duplicates and late events) are written to {@code orders.raw} first; then the service
 * starts on empty state and the clock runs from RUNNING until its committed input offsets reach the end of
 * {@code orders.raw}: a backlog drain, so the figure is the processing rate, not the producer's. The stream thread's
 * CPU time over the drain is printed too (steadier than wall time on a shared machine). RocksDB off-heap usage (shared
 * block cache incl. memtables) is sampled throughout. Usage:
 * {@code ProcessorThroughputBench [events=300000] [keys=1000] [eventRatePerS=20000] [--service.setting=value ...]}.
 * <p>
 * With {@code -Dbench.live=true} the service starts first and the events are sent while it runs, paced in real time
 * at {@code eventRatePerS} by a producer set up like the gateway's (acks=all, 1 ms linger, no compression): the
 * steady state of a running fleet, where each poll finds only the records of the last few milliseconds, instead of a
 * backlog. The clock then runs from the first send until the committed offsets reach the end, and the broker's
 * request counts per type (its own metrics, the broker being in this JVM) are printed per record.
 * <p>
 * In both modes the CPU per record of each thread role over the measured interval is printed ({@link ThreadCpu}: the
 * stream threads, their producers' network threads, the in-JVM broker's threads found by name, ...) with the total of
 * stream thread + producer + broker, the figure a setting should be judged on; {@code -Dbench.threads=true} lists
 * every thread with its CPU and role.
 */
public final class ProcessorThroughputBench {

    private ProcessorThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int eventRate = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        List<String> extra = args.length > 3 ? List.of(args).subList(3, args.length) : List.of();
        boolean live = Boolean.getBoolean("bench.live");
        String servers = SharedKafkaBroker.bootstrapServers();
        String run = UUID.randomUUID().toString().substring(0, 8);
        long produced = 0;
        Map<TopicPartition, Long> end = Map.of();
        if (!live) {
            produced = produce(servers, run, events, keys, eventRate, false);
            end = endOffsets(servers);
            System.out.printf("bench %s: wrote %,d records (%,d events, 1%% duplicates, 0.1%% late) to orders.raw%n",
                    run, produced, events);
        }

        Path stateDir = Files.createTempDirectory("processor-bench-state");
        String applicationId = "processor-bench-" + run;
        List<String> appArgs = new java.util.ArrayList<>(List.of(
                "--server.port=0",
                "--streamfleet.kafka.bootstrap-servers=" + servers,
                "--streamfleet.streams.application-id=" + applicationId,
                "--streamfleet.streams.state-dir=" + stateDir,
                "--streamfleet.streams.application-server=",
                "--logging.level.root=WARN"));
        appArgs.addAll(extra);
        System.out.printf("bench %s: service arguments %s%n", run, extra);
        ConfigurableApplicationContext app = new SpringApplicationBuilder(StreamProcessorApplication.class)
                .run(appArgs.toArray(String[]::new));
        try {
            ManagedKafkaStreams streams = app.getBean(ManagedKafkaStreams.class);
            while (streams.state() != KafkaStreams.State.RUNNING) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            long started = System.nanoTime();
            long streamCpuStart = streamThreadCpuNanos();
            long threadsOnlyStart = streamThreadCpuNanos(false);
            long processCpuStart = processCpuNanos();
            Map<String, Long> requestsStart = BrokerRequestCounts.read();
            ThreadCpu threadsStart = ThreadCpu.read();
            long maxRocks = 0;
            if (live) {
                produced = produce(servers, run, events, keys, eventRate, true);
                end = endOffsets(servers);
                System.out.printf("bench %s: sent %,d records (%,d events, 1%% duplicates, 0.1%% late) to orders.raw "
                        + "at %,d events/s in %.1f s while the service ran%n", run, produced, events, eventRate,
                        (System.nanoTime() - started) / 1e9);
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
                long done;
                while (true) {
                    maxRocks = Math.max(maxRocks, BoundedMemoryRocksDbConfig.usedOffHeapBytes());
                    if (committedAtEnd(admin, applicationId, end)) {
                        done = System.nanoTime();
                        break;
                    }
                    TimeUnit.MILLISECONDS.sleep(50);
                }
                double seconds = (done - started) / 1e9;
                double streamCpu = (streamThreadCpuNanos() - streamCpuStart) / 1e9;
                double threadsOnly = (streamThreadCpuNanos(false) - threadsOnlyStart) / 1e9;
                double processCpu = (processCpuNanos() - processCpuStart) / 1e9;
                System.out.printf("bench %s: drained %,d records in %.1f s = %,.0f records/s through dedup + "
                        + "lateness + tumbling 1 s and hopping 1 min/10 s stats (exactly_once_v2, %d stream thread(s))%n",
                        run, produced, seconds, produced / seconds, streamThreads());
                // CPU time is far less sensitive than wall time to other work sharing the cores
                System.out.printf("bench %s: stream thread CPU %.1f s = %,.0f records per CPU-second; whole JVM "
                        + "(broker included) CPU %.1f s%n", run, streamCpu, produced / streamCpu, processCpu);
                // the figure above (kept for comparison with earlier runs) includes each stream thread's producer
                // network thread, whose name contains the stream thread's
                System.out.printf("bench %s: of which stream threads alone %.1f s = %.1f µs/record, their producers' "
                        + "network threads %.1f s%n", run, threadsOnly, threadsOnly * 1e6 / produced,
                        streamCpu - threadsOnly);
                ThreadCpu threadsEnd = ThreadCpu.read();
                Map<String, Long> roles = threadsEnd.perRoleSince(threadsStart);
                long records = produced;
                long serviceAndBroker = roles.get(ThreadCpu.STREAM) + roles.get(ThreadCpu.STREAM_PRODUCER)
                        + roles.get(ThreadCpu.BROKER);
                // the broker's threads, found by name: the total a setting should be judged on
                System.out.printf("bench %s: CPU µs/record by thread role: %s; stream thread + its producer + "
                        + "broker %.1f µs/record%n", run, roles.entrySet().stream()
                                .map(e -> String.format("%s %.1f", e.getKey(), e.getValue() / 1e3 / records))
                                .collect(Collectors.joining(", ")),
                        serviceAndBroker / 1e3 / produced);
                if (Boolean.getBoolean("bench.threads")) {
                    threadsEnd.perThreadSince(threadsStart).entrySet().stream()
                            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                            .filter(e -> e.getValue() >= 10_000_000L)
                            .forEach(e -> System.out.printf("bench %s:   %-90s %-40s %6.2f s%n", run, e.getKey(),
                                    ThreadCpu.role(e.getKey()), e.getValue() / 1e9));
                }
                System.out.printf("bench %s: broker requests per 1 000 records: %s%n", run,
                        BrokerRequestCounts.perThousand(requestsStart, BrokerRequestCounts.read(), produced));
                System.out.printf("bench %s: RocksDB off-heap (block cache + memtables) max %.1f MiB, now %.1f MiB, "
                        + "bound %.0f MiB; state dir on disk %.1f MiB%n", run, maxRocks / 1048576.0,
                        BoundedMemoryRocksDbConfig.usedOffHeapBytes() / 1048576.0,
                        BoundedMemoryRocksDbConfig.configuredOffHeapBytes() / 1048576.0,
                        directoryBytes(stateDir) / 1048576.0);
            }
        } finally {
            app.close();
            SharedKafkaBroker.stop();
        }
        System.exit(0);
    }

    /**
     * CPU time used so far by the live threads whose name contains {@code -StreamThread-}: the stream threads and
     * (their names contain the client id) their producers' network threads.
     */
    private static long streamThreadCpuNanos() {
        return streamThreadCpuNanos(true);
    }

    /** As {@link #streamThreadCpuNanos()}, the producer network threads only when asked. */
    private static long streamThreadCpuNanos(boolean withProducerNetwork) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains("-StreamThread-")
                    && (withProducerNetwork || !info.getThreadName().startsWith("kafka-producer-network-thread"))) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static long streamThreads() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long count = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().matches(".*-StreamThread-\\d+")) {
                count++;
            }
        }
        return count;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Orders over {@code keys} keys, event time advancing at {@code eventRate}/s with ±1 s jitter. */
    private static long produce(String servers, String run, int events, int keys, int eventRate, boolean live)
            throws Exception {
        Random random = new Random(42);
        long base = System.currentTimeMillis() - (live ? 0 : 3_600_000);
        OrderEventType[] types = OrderEventType.values();
        long records = 0;
        // live: as the gateway sends (acks=all, 1 ms linger); backlog: as fast as possible
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, live ? 1 : 20,
                ProducerConfig.BATCH_SIZE_CONFIG, live ? 64 * 1024 : 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, live ? "none" : "lz4");
        long sendStart = System.nanoTime();
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), Topics.ORDER_EVENT_SERDE.serializer())) {
            OrderEvent previous = null;
            for (int i = 0; i < events; i++) {
                if (live) {
                    long due = sendStart + i * 1_000_000_000L / eventRate;
                    long wait = due - System.nanoTime();
                    if (wait > 1_000_000) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                long time = base + i * 1000L / eventRate + random.nextInt(2_000) - 1_000;
                if (i % 1000 == 999) {
                    time -= 10_000; // behind the 3 s lateness: goes to orders.late
                }
                String account = run + "-acc-" + random.nextInt(keys);
                OrderEvent event = new OrderEvent(run + "-" + i, account, "SYM" + (i % 3),
                        types[random.nextInt(types.length)], "o-" + i, Side.BUY, 100 + random.nextInt(50) / 100.0,
                        1 + random.nextInt(10), time);
                producer.send(new ProducerRecord<>(Topics.ORDERS_RAW.name(), event.key(), event));
                records++;
                if (i % 100 == 99 && previous != null) {
                    producer.send(new ProducerRecord<>(Topics.ORDERS_RAW.name(), previous.key(), previous));
                    records++;
                }
                previous = event;
            }
            producer.flush();
        }
        return records;
    }

    private static Map<TopicPartition, Long> endOffsets(String servers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.ORDERS_RAW.name())).allTopicNames()
                    .get().get(Topics.ORDERS_RAW.name()).partitions().stream()
                    .map(p -> new TopicPartition(Topics.ORDERS_RAW.name(), p.partition())).toList();
            return admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(),
                    p -> OffsetSpec.latest()))).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    private static boolean committedAtEnd(Admin admin, String group, Map<TopicPartition, Long> end)
            throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>(admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get());
        return end.entrySet().stream().allMatch(e -> {
            OffsetAndMetadata at = committed.get(e.getKey());
            // under exactly-once the committed offset may sit one past the end (the transaction marker)
            return at != null && at.offset() >= e.getValue();
        });
    }

    private static long directoryBytes(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
