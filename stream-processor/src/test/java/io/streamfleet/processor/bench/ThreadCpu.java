package io.streamfleet.processor.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * CPU time of every live thread of this JVM ({@link ThreadMXBean}), kept per thread so two readings give each thread's
 * CPU over the interval between them, summed per role by thread name: the service's stream threads, their producers'
 * network threads, the benchmark's own producer and admin clients, the in-JVM broker's threads, the rest. A thread that
 * ends between the readings loses the CPU it used in the interval (none of the measured roles ends mid-run).
 */
final class ThreadCpu {

    static final String STREAM = "stream threads";
    static final String STREAM_PRODUCER = "their producers' network threads";
    static final String BENCH_CLIENTS = "benchmark producer and admin clients";
    static final String BROKER = "in-JVM broker";
    static final String OTHER = "other";

    /** Stream threads: the client id, then {@code -StreamThread-n}, nothing after it. */
    private static final Pattern STREAM_THREAD = Pattern.compile(".*-StreamThread-\\d+");

    /**
     * The broker's threads (Kafka 4.1 KRaft, combined broker and controller), by the names its classes give them:
     * network acceptors and processors, request handlers, purgatory reapers, the Raft and controller event loops,
     * coordinators (group, transaction, share), the transaction marker sender, the log cleaner, schedulers and the
     * metadata loader / publisher threads.
     */
    private static final Pattern BROKER_THREAD = Pattern.compile(
            "data-plane-kafka-.*|kafka-request-handler-.*|controller-.*|broker-.*|kafka-\\d+-raft-.*|"
                    + "quorum-controller-.*|ExpirationReaper-.*|group-coordinator-.*|share-coordinator-.*|"
                    + "transaction-.*|TxnMarkerSenderThread-.*|kafka-log-cleaner-thread-.*|kafka-scheduler-.*|"
                    + "kafka-\\d+-metadata-.*|LogDirFailureHandler|metrics-meter-tick-thread-.*|"
                    + "ReplicaFetcher.*|ReplicaAlterLogDirs.*|kafka-.*-channel-manager.*|.*ThrottledChannelReaper.*|"
                    + "feature-zk-node-event-process-thread|executor-.*|.*-event-handler|"
                    + "RemoteLogManager.*|AddPartitionsToTxnSenderThread-.*|kafka-shutdown-hook|AlterPartition.*|.*reaper.*");

    private final Map<Long, String> names;
    private final Map<Long, Long> cpu;

    private ThreadCpu(Map<Long, String> names, Map<Long, Long> cpu) {
        this.names = names;
        this.cpu = cpu;
    }

    static ThreadCpu read() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    names.put(info.getThreadId(), info.getThreadName());
                    cpu.put(info.getThreadId(), nanos);
                }
            }
        }
        return new ThreadCpu(names, cpu);
    }

    static String role(String name) {
        if (name.startsWith("kafka-producer-network-thread")) {
            return name.contains("-StreamThread-") ? STREAM_PRODUCER : BENCH_CLIENTS;
        }
        if (STREAM_THREAD.matcher(name).matches()) {
            return STREAM;
        }
        if (name.startsWith("kafka-admin-client-thread") && !name.contains("processor-bench-")) {
            return BENCH_CLIENTS;
        }
        if (BROKER_THREAD.matcher(name).matches()) {
            return BROKER;
        }
        return OTHER;
    }

    /** CPU nanoseconds per thread since {@code before} (threads new since then count from zero). */
    Map<String, Long> perThreadSince(ThreadCpu before) {
        Map<String, Long> delta = new TreeMap<>();
        cpu.forEach((id, nanos) -> {
            long used = nanos - before.cpu.getOrDefault(id, 0L);
            if (used > 0) {
                delta.merge(names.get(id), used, Long::sum);
            }
        });
        return delta;
    }

    /** CPU nanoseconds per role since {@code before}, in the order of the role constants. */
    Map<String, Long> perRoleSince(ThreadCpu before) {
        Map<String, Long> roles = new LinkedHashMap<>();
        for (String role : new String[] {STREAM, STREAM_PRODUCER, BROKER, BENCH_CLIENTS, OTHER}) {
            roles.put(role, 0L);
        }
        perThreadSince(before).forEach((name, nanos) -> roles.merge(role(name), nanos, Long::sum));
        return roles;
    }
}
