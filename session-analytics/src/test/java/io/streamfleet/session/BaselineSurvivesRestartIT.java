package io.streamfleet.session;

import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.testkit.kafka.StreamTimeMarks;
import io.streamfleet.testkit.kafka.TopicProbe;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import io.streamfleet.testkit.process.ServiceProcess;
import io.streamfleet.testkit.process.ServiceProcesses;
import io.streamfleet.testkit.process.StreamsServiceJar;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service against the real broker, on a compressed clock (gap 2 s, grace 1 s): two sessions build a
 * baseline; the service is SIGKILLed and restarted on an empty state directory, so the baseline must come back
 * from its changelog; the next, shorter session is compared with it and alerts exactly once (read_committed).
 * The test plays stream-processor's part for time: after each batch of events it writes a stream-time mark to every
 * partition of engagement.clean, which is what closes the last session of a quiet user.
 */
@WithKafkaBroker
class BaselineSurvivesRestartIT {

    private static final Path JAR = Path.of("target", "session-analytics-exec.jar");
    private static final long GAP_MS = 2_000;
    private static final long GRACE_MS = 1_000;
    private static final Duration READY = Duration.ofSeconds(90);
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final String user = "it-user-" + runId;

    @RegisterExtension
    final ServiceProcesses processes = new ServiceProcesses();

    @TempDir
    Path firstStateDir;

    @TempDir
    Path secondStateDir;

    @Test
    void shouldCompareTheNextSessionWithTheBaselineRestoredAfterAKillAndAnEmptyStateDir() throws Exception {
        String appId = "session-it-" + runId;
        long t0 = System.currentTimeMillis();
        ServiceProcess first = start(appId, firstStateDir, "first").awaitReady(READY);

        send(session(t0, 10_000), 1);
        send(session(t0 + 10_000, 10_000), 2);
        assertThat(awaitSessions(1)).as("the first session closed by the second session's events")
                .extracting(EngagementSession::sessionStartMs).containsExactly(t0);
        assertThat(sessionsOf(TopicProbe.readAll(Topics.ENGAGEMENT_SESSIONS, Duration.ofSeconds(2))))
                .as("the second session stays open while no mark moves time past it").hasSize(1);
        mark(closingAfter(t0 + 10_000));
        List<EngagementSession> before = awaitSessions(2);
        assertThat(before).extracting(EngagementSession::asdMs).containsExactly(10_000.0, 10_000.0);
        String metrics = first.get("/actuator/prometheus").body();
        assertThat(metrics).contains("streamfleet_session_closed_total", "streamfleet_session_open",
                "streamfleet_session_baselines", "streamfleet_session_late_events_total",
                "streamfleet_session_alerts_total", "streamfleet_session_progress_marks_total",
                "streamfleet_session_progress_invalid_total", "streamfleet_session_stream_time_lag_ms");
        assertThat(first.get("/v1/users/" + user + "/baseline").body()).contains("\"sessions\":2");
        first.kill();

        ServiceProcess second = start(appId, secondStateDir, "second").awaitReady(READY);
        send(session(t0 + 20_000, 6_000), 3);
        long closedAt = closingAfter(t0 + 20_000);
        mark(closedAt);

        List<EngagementSession> after = awaitSessions(3);
        assertThat(after).extracting(EngagementSession::sessionStartMs).doesNotHaveDuplicates();
        TopicProbe.readUntil(Topics.ALERTS_ENGAGEMENT, Duration.ofSeconds(30), read -> !mine(read).isEmpty());
        List<ConsumerRecord<String, EngagementAlert>> mine = mine(TopicProbe.readAll(Topics.ALERTS_ENGAGEMENT,
                Duration.ofSeconds(2)));
        assertThat(mine).as("exactly one alert, against the restored baseline").singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(user);
            assertThat(r.value().baselineAsdMs()).isEqualTo(10_000.0);
            assertThat(r.value().asdMs()).isEqualTo(6_000.0);
            assertThat(r.value().dropRatio()).isEqualTo(0.4);
            assertThat(r.value().sessionStartMs()).isEqualTo(t0 + 20_000);
            assertThat(r.value().detectedAtMs()).as("the stream time that closed the session").isEqualTo(closedAt);
            assertThat(r.timestamp()).isEqualTo(closedAt);
            assertThat(Headers.lastLong(r.headers(), Headers.INGESTED_AT_MS, -1)).isEqualTo(3);
        });
        assertThat(second.get("/v1/users/" + user + "/baseline").body()).contains("\"sessions\":3");
        assertThat(second.get("/v1/users/nobody-" + runId + "/baseline").statusCode()).isEqualTo(404);
    }

    /** One session of three views with the given dwell, starting at {@code startMs}. */
    private List<EngagementEvent> session(long startMs, long dwellMs) {
        List<EngagementEvent> events = new ArrayList<>();
        for (int v = 0; v < 3; v++) {
            long t = startMs + v * 500L;
            events.add(new EngagementEvent(runId + "-" + t + "-s", user, "c" + v, EngagementEventType.VIEW_START,
                    t, 0, false));
            events.add(new EngagementEvent(runId + "-" + t + "-e", user, "c" + v, EngagementEventType.VIEW_END,
                    t + 400, dwellMs, v == 0));
        }
        return events;
    }

    /** The first stream time at which the session starting at {@code startMs} (see {@link #session}) is closed. */
    private static long closingAfter(long startMs) {
        return startMs + 2 * 500L + 400 + GAP_MS + GRACE_MS + 1;
    }

    private static void mark(long streamTimeMs) {
        StreamTimeMarks.markEveryPartition(Topics.ENGAGEMENT_CLEAN.name(), streamTimeMs);
    }

    private static void send(List<EngagementEvent> events, long ingestedAt) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(ingestedAt));
        TopicProbe.sendAll(Topics.ENGAGEMENT_CLEAN, events.stream().map(e -> Map.entry(e.userId(), e)).toList(),
                headers);
    }

    private List<EngagementSession> awaitSessions(int count) {
        List<ConsumerRecord<String, EngagementSession>> read = TopicProbe.readUntil(Topics.ENGAGEMENT_SESSIONS,
                Duration.ofSeconds(60), r -> sessionsOf(r).size() >= count);
        return sessionsOf(read);
    }

    private List<EngagementSession> sessionsOf(List<ConsumerRecord<String, EngagementSession>> records) {
        return records.stream().map(ConsumerRecord::value).filter(s -> user.equals(s.userId())).toList();
    }

    private List<ConsumerRecord<String, EngagementAlert>> mine(List<ConsumerRecord<String, EngagementAlert>> all) {
        return all.stream().filter(r -> user.equals(r.value().userId())).toList();
    }

    private ServiceProcess start(String appId, Path stateDir, String name) {
        return processes.start(StreamsServiceJar.onSharedBroker(JAR, appId, stateDir)
                .property("streamfleet.session.inactivity-gap", GAP_MS + "ms")
                .property("streamfleet.session.grace", GRACE_MS + "ms")
                .property("streamfleet.session.punctuation-interval", "200ms")
                .name("session-it-" + runId + "-" + name));
    }
}
