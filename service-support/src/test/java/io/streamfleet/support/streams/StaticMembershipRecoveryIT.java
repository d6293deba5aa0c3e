package io.streamfleet.support.streams;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import io.streamfleet.testkit.process.ServiceProcess;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Static membership against a real broker: a SIGKILLed static member restarted with the same instance id and state
 * directory processes again within seconds, not after its session timeout, without a rebalance of the other members,
 * and fences the transaction it left open (its deduplicating store, which the crash left holding that transaction's
 * writes, is wiped and restored); a static member that stays dead loses its tasks to the others once its session
 * times out; a second process with the same id takes the place of the first, which stops. The crashing member runs
 * in a child JVM.
 */
@WithKafkaBroker
class StaticMembershipRecoveryIT {

    private static final Logger log = LoggerFactory.getLogger(StaticMembershipRecoveryIT.class);
    private static final Pattern UUID_PATTERN = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
    private static final Map<String, String> SHORT_SESSION = CrashableAppRun.SHORT_SESSION;

    @TempDir
    Path dir;

    @RegisterExtension
    final CrashableAppRun app = new CrashableAppRun("recovery");

    @Test
    void shouldProcessAgainWithinSecondsWithoutARebalanceWhenAKilledStaticMemberRestartsWithItsIdAndState()
            throws Exception {
        app.createTopics(2);
        Path state = dir.resolve("state");
        ServiceProcess crashing = app.launch(state, "member-a", "stall", Map.of());
        try (TopicValues committed = new TopicValues(app.output, IsolationLevel.READ_COMMITTED);
             TopicValues uncommitted = new TopicValues(app.output, IsolationLevel.READ_UNCOMMITTED)) {
            app.send("k0", "before-crash");
            committed.await(v -> v.contains("before-crash"), Duration.ofSeconds(60));
            SimpleMeterRegistry peerRegistry = new SimpleMeterRegistry();
            ManagedKafkaStreams peer = startInJvm(dir.resolve("peer"), "member-peer", Map.of(), peerRegistry);
            await().atMost(Duration.ofSeconds(60)).until(() -> activePartitions(peer).size() == 1);
            int crashingPartition = 1 - activePartitions(peer).get(0);
            app.send(keyOn(crashingPartition, "stall"), "stall");
            uncommitted.await(v -> v.contains("stall"), Duration.ofSeconds(20));
            assertThat(committed.values()).as("the stalled record's transaction is still open").doesNotContain("stall");
            String processId = processIdIn(state.resolve(app.applicationId));
            double peerRebalances = peerRegistry.get("streamfleet.streams.rebalances").counter().count();

            long killedAt = System.nanoTime();
            crashing.kill();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ManagedKafkaStreams restarted = startInJvm(state, "member-a", Map.of(), registry);
            app.send(keyOn(crashingPartition, "after"), "after-crash");
            committed.await(v -> v.contains("after-crash") && v.contains("stall"), Duration.ofSeconds(30));
            Duration recovery = Duration.ofNanos(System.nanoTime() - killedAt);
            log.info("static member processing again {} ms after SIGKILL", recovery.toMillis());

            assertThat(recovery).as("far below the %s session timeout", StaticMembership.SESSION_TIMEOUT)
                    .isLessThan(StaticMembership.SESSION_TIMEOUT.dividedBy(2));
            assertThat(peerRegistry.get("streamfleet.streams.rebalances").counter().count())
                    .as("the other member never rebalanced").isEqualTo(peerRebalances);
            assertThat(peer.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(activePartitions(restarted)).containsExactly(crashingPartition);
            assertThat(committed.values()).as("the aborted copy stays invisible, the reprocessed one counts once")
                    .containsOnlyOnce("before-crash", "stall", "after-crash");
            assertThat(restarted.client().metadataForLocalThreads()).extracting(ThreadMetadata::threadName)
                    .as("same process id, so same transactional id as the killed process")
                    .allMatch(name -> name.contains(processId));
            assertThat(registry.get("streamfleet.streams.state.wipes").tag("reason", "unclean-shutdown")
                    .counter().count())
                    .as("transactional stores: the state of the killed run is kept, not wiped").isEqualTo(0.0);
        }
    }

    @Test
    void shouldHandTheTasksOfADeadStaticMemberToAnotherMemberOnceItsSessionTimesOut() throws Exception {
        app.createTopics(2);
        ServiceProcess dead = app.launch(dir.resolve("dead"), "member-b", null, SHORT_SESSION);
        try (TopicValues committed = new TopicValues(app.output, IsolationLevel.READ_COMMITTED)) {
            app.send("k1", "before-crash");
            committed.await(v -> v.contains("before-crash"), Duration.ofSeconds(60));

            long killedAt = System.nanoTime();
            dead.kill();
            startInJvm(dir.resolve("other"), null, SHORT_SESSION, new SimpleMeterRegistry());
            List<String> afterCrash = List.of("after-crash-0", "after-crash-1", "after-crash-2", "after-crash-3");
            for (int i = 0; i < afterCrash.size(); i++) {
                app.send("key-" + i, afterCrash.get(i));
            }
            committed.await(v -> v.containsAll(afterCrash), Duration.ofSeconds(40));
            Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
            log.info("dynamic member took over a dead static member's partitions {} ms after SIGKILL",
                    takeover.toMillis());

            assertThat(takeover).as("not before the 6 s session (less one 1 s heartbeat) could expire")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(4))
                    .as("but soon after").isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void shouldStopTheEarlierInstanceWhenASecondOneJoinsWithTheSameInstanceId() throws Exception {
        app.createTopics(2);
        try (TopicValues committed = new TopicValues(app.output, IsolationLevel.READ_COMMITTED)) {
            ManagedKafkaStreams first = startInJvm(dir.resolve("first"), "member-c", Map.of(),
                    new SimpleMeterRegistry());
            app.send("k1", "one");
            committed.await(v -> v.contains("one"), Duration.ofSeconds(60));

            ManagedKafkaStreams second = startInJvm(dir.resolve("second"), "member-c", Map.of(),
                    new SimpleMeterRegistry());
            await().atMost(Duration.ofSeconds(30)).until(() -> first.fatalError() != null);
            app.send("k2", "two");
            committed.await(v -> v.contains("two"), Duration.ofSeconds(30));

            log.info("earlier instance with the same id stopped", first.fatalError());
            assertThat(first.state()).isIn(KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.ERROR);
            // the fenced member's departure may still be rebalancing the group when "two" is committed
            await().atMost(Duration.ofSeconds(30)).until(() -> second.state() == KafkaStreams.State.RUNNING);
            assertThat(first.fatalError()).hasStackTraceContaining("FencedInstanceIdException");
        }
    }

    private ManagedKafkaStreams startInJvm(Path stateDir, String instanceId, Map<String, String> overrides,
                                           SimpleMeterRegistry registry) {
        return app.startInJvm(app.settings(stateDir, instanceId, overrides), registry);
    }

    private static List<Integer> activePartitions(ManagedKafkaStreams streams) {
        return streams.client().metadataForLocalThreads().stream().flatMap(t -> t.activeTasks().stream())
                .map(task -> task.taskId().partition()).sorted().toList();
    }

    /** A key the default partitioner puts on {@code partition} of a two-partition topic. */
    private static String keyOn(int partition, String prefix) {
        for (int i = 0; ; i++) {
            String key = prefix + "-" + i;
            if (Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 2 == partition) {
                return key;
            }
        }
    }

    /** Kafka Streams keeps its process id in {@code <state.dir>/<application.id>/kafka-streams-process-metadata}. */
    private static String processIdIn(Path applicationStateDir) throws Exception {
        String json = Files.readString(applicationStateDir.resolve("kafka-streams-process-metadata"));
        Matcher matcher = UUID_PATTERN.matcher(json);
        assertThat(matcher.find()).as("process id in %s", json).isTrue();
        return matcher.group();
    }
}
