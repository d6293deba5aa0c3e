package io.streamfleet.support.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.SelectedKafkaMetrics;
import io.streamfleet.support.kafka.KafkaClients;
import io.streamfleet.support.rocksdb.BoundedMemoryRocksDbConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one {@link KafkaStreams} client for the Spring application: started after the context is ready, closed
 * gracefully (with a timeout) on shutdown. A stream thread that dies is replaced in-process while the
 * {@link ThreadReplacementBudget} allows it (its tasks are closed dirty and, under exactly-once, restored from the
 * changelogs by the new thread). Beyond the budget, or for an error that a new thread cannot cure, the client shuts
 * down, which the liveness indicator reports as DOWN so the orchestrator restarts the instance: state is never
 * silently half-processed. A start that fails because a store's local files cannot be opened wipes the local state
 * and starts again (restored from the changelogs). Restores are followed by {@link RestoreProgress} for readiness
 * and metrics.
 */
public class ManagedKafkaStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ManagedKafkaStreams.class);

    private final Topology topology;
    private final KafkaClients clients;
    private final Properties config;
    private final StreamsRuntimeProperties settings;
    private final MeterRegistry registry;
    private final AtomicReference<KafkaStreams> streams = new AtomicReference<>();
    private final AtomicReference<Throwable> fatalError = new AtomicReference<>();
    private final Counter threadDeaths;
    private final Counter threadReplacements;
    private final ThreadReplacementBudget replacementBudget;
    private final RestoreProgress restoreProgress = new RestoreProgress();
    private final DeadMemberRemoval deadMemberRemoval;
    private final Counter rebalances;
    private final Counter uncleanShutdownWipes;
    private final Counter unreadableStateWipes;
    private final CleanShutdownMarker shutdownMarker;
    private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;
    private SelectedKafkaMetrics metrics;

    public ManagedKafkaStreams(Topology topology, StreamsRuntimeProperties settings, KafkaClients clients,
                               MeterRegistry registry) {
        this.topology = topology;
        this.clients = clients;
        this.settings = settings;
        this.config = StreamsConfigFactory.create(clients, settings);
        this.registry = registry;
        this.threadDeaths = Counter.builder("streamfleet.streams.thread.deaths")
                .description("Stream threads that died of an uncaught exception (replaced or not)").register(registry);
        this.threadReplacements = Counter.builder("streamfleet.streams.thread.replacements")
                .description("Dead stream threads replaced in-process by a new thread").register(registry);
        this.replacementBudget = settings.threadReplacement().budget();
        this.deadMemberRemoval = StaticMembership.instanceIdOf(config)
                .map(id -> new DeadMemberRemoval(clients, config, id, streams::get)).orElse(null);
        this.rebalances = Counter.builder("streamfleet.streams.rebalances")
                .description("Transitions of the streams client into REBALANCING").register(registry);
        this.uncleanShutdownWipes = wipeCounter(registry, "unclean-shutdown");
        this.unreadableStateWipes = wipeCounter(registry, "unreadable-store");
        Path stateDir = Path.of(String.valueOf(config.get(StreamsConfig.STATE_DIR_CONFIG)));
        this.shutdownMarker = new CleanShutdownMarker(stateDir.resolve(settings.applicationId()));
        Gauge.builder("streamfleet.streams.running", this, s -> s.state == KafkaStreams.State.RUNNING ? 1 : 0)
                .description("1 while the streams client is RUNNING").register(registry);
        Gauge.builder("streamfleet.streams.restore.remaining.records", restoreProgress,
                        p -> p.snapshot().remainingRecords())
                .description("Changelog records still to restore (offsets; 0 when no restore runs)").register(registry);
        Gauge.builder("streamfleet.streams.restore.partitions", restoreProgress, p -> p.snapshot().partitions())
                .description("Changelog partitions being restored now").register(registry);
        FunctionCounter.builder("streamfleet.streams.restore.records", restoreProgress,
                        p -> p.snapshot().restoredRecords())
                .description("Changelog records restored into local state since start").register(registry);
        Gauge.builder("streamfleet.rocksdb.offheap.used.bytes", BoundedMemoryRocksDbConfig::usedOffHeapBytes)
                .description("Bytes held by the shared RocksDB block cache, memtables included").register(registry);
        Gauge.builder("streamfleet.rocksdb.offheap.limit.bytes", BoundedMemoryRocksDbConfig::configuredOffHeapBytes)
                .description("Configured bound of RocksDB block cache plus memtables").register(registry);
    }

    @Override
    public synchronized void start() {
        if (streams.get() != null) {
            return;
        }
        KafkaStreams client = newClient();
        log.info("Starting Kafka Streams {} against {} over {} (state in {}, {})", settings.applicationId(),
                config.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG),
                config.getOrDefault(StreamsConfig.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT"), config.get("state.dir"),
                settings.instanceId() == null ? "dynamic group membership"
                        : "static group member " + settings.instanceId());
        wipeIfPreviousRunCrashed(client);
        shutdownMarker.clear();
        try {
            client.start();
        } catch (RuntimeException startFailure) {
            ProcessorStateException unreadable = UnreadableLocalState.causeOf(startFailure)
                    .orElseThrow(() -> startFailure);
            startAfterWipingUnreadableState(client, unreadable);
        }
    }

    /**
     * A store that cannot be opened (seen: a RocksDB segment half deleted when the process was killed while it dropped
     * an expired segment) fails the start, and would fail every start after it. Its data is only a copy of the
     * changelog, so the local state is wiped and restored, once; a second failure is the caller's.
     */
    private void startAfterWipingUnreadableState(KafkaStreams failed, ProcessorStateException unreadable) {
        log.warn("Kafka Streams {} could not open its local state ({}): wiping it; it is restored from the changelogs",
                settings.applicationId(), UnreadableLocalState.describe(unreadable), unreadable);
        failed.close(settings.closeTimeout());
        metrics.close();
        KafkaStreams client = newClient();
        client.cleanUp();
        unreadableStateWipes.increment();
        client.start();
    }

    private KafkaStreams newClient() {
        KafkaStreams client = clients.streams(topology, config);
        client.setStateListener((newState, oldState) -> {
            state = newState;
            if (newState == KafkaStreams.State.REBALANCING) {
                rebalances.increment();
            }
            log.info("Kafka Streams {} state {} -> {}", settings.applicationId(), oldState, newState);
        });
        client.setUncaughtExceptionHandler(this::onThreadDeath);
        client.setGlobalStateRestoreListener(restoreProgress);
        metrics = StreamsMeters.bind(client, registry);
        streams.set(client);
        return client;
    }

    private static Counter wipeCounter(MeterRegistry registry, String reason) {
        return Counter.builder("streamfleet.streams.state.wipes").tag("reason", reason)
                .description("Local state wiped at start (restored from the changelogs): after an unclean shutdown "
                        + "under exactly-once, or because a store could not be opened")
                .register(registry);
    }

    private StreamThreadExceptionResponse onThreadDeath(Throwable error) {
        threadDeaths.increment();
        if (replacementBudget.onThreadDeath(error, System.nanoTime()) == ThreadReplacementBudget.Decision.REPLACE_THREAD) {
            threadReplacements.increment();
            if (deadMemberRemoval != null) {
                deadMemberRemoval.afterDeathOf(Thread.currentThread());
            }
            log.error("Stream thread of {} died; replacing it with a new thread (its tasks are restored if needed)",
                    settings.applicationId(), error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        fatalError.set(error);
        log.error("Stream thread of {} died and is not replaced ({}); shutting the client down so the instance is "
                + "restarted", settings.applicationId(), settings.threadReplacement(), error);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /**
     * Exactly-once only: after a run that did not close cleanly, wipes all local state (restored from the changelogs)
     * when the setting asks for it, or when the state was written by a Kafka Streams release before 4.3, whose
     * checkpoint cannot be trusted after a crash (see {@link CleanShutdownMarker}). Otherwise the transactional stores
     * keep their committed state and only the records since the last commit are processed again.
     */
    private void wipeIfPreviousRunCrashed(KafkaStreams client) {
        if (!exactlyOnce() || !shutdownMarker.previousRunCrashedWithLocalState()) {
            return;
        }
        if (settings.wipeAfterUncleanShutdown()) {
            log.warn("The previous run of {} did not shut down cleanly: wiping its local state, which is restored "
                    + "from the changelogs (streamfleet.streams.wipe-after-unclean-shutdown=true)",
                    settings.applicationId());
        } else if (shutdownMarker.hasLegacyCheckpoint()) {
            log.warn("The previous run of {} did not shut down cleanly and left a checkpoint of a Kafka Streams "
                    + "release before 4.3, which cannot be trusted after a crash under exactly-once (KAFKA-20685): "
                    + "wiping its local state, which is restored from the changelogs", settings.applicationId());
        } else {
            log.info("The previous run of {} did not shut down cleanly: its transactional state stores keep what was "
                    + "committed, and the records after the last commit are processed again", settings.applicationId());
            return;
        }
        client.cleanUp();
        uncleanShutdownWipes.increment();
    }

    @Override
    public synchronized void stop() {
        KafkaStreams client = streams.getAndSet(null);
        if (client != null) {
            log.info("Closing Kafka Streams {}", settings.applicationId());
            boolean closed = client.close(settings.closeTimeout());
            if (closed && fatalError.get() == null) {
                shutdownMarker.markClean();
            } else {
                log.warn("Kafka Streams {} did not close cleanly within {}: its local state will be wiped at the "
                        + "next start", settings.applicationId(), settings.closeTimeout());
            }
            if (metrics != null) {
                metrics.close();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return streams.get() != null;
    }

    /** Starts after web server and other beans, stops before them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    public KafkaStreams.State state() {
        return state;
    }

    /** The running client, for interactive queries; null before start and after stop. */
    public KafkaStreams client() {
        return streams.get();
    }

    /** The state restores in flight now, for readiness. */
    public RestoreProgress.Snapshot restoreProgress() {
        return restoreProgress.snapshot();
    }

    /** The error that killed a stream thread and shut the client down, if any (replaced threads do not count). */
    public Throwable fatalError() {
        return fatalError.get();
    }

    private boolean exactlyOnce() {
        Object guarantee = config.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        return StreamsConfig.EXACTLY_ONCE_V2.equals(String.valueOf(guarantee));
    }

    public StreamsRuntimeProperties settings() {
        return settings;
    }
}
