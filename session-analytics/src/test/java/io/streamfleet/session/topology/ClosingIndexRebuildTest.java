package io.streamfleet.session.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.session.metrics.SessionAggregate;
import io.streamfleet.session.support.Engagement;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The closing index lives on the heap and is rebuilt from {@code session-open} whenever the processor starts (as after
 * a restore): a restarted processor closes the open sessions when and as an uninterrupted one does, each indexed at the
 * end the stored value names, state of the first layout included.
 */
class ClosingIndexRebuildTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long MIN = 60_000;
    private static final SessionSettings SETTINGS = SessionSettings.defaults();
    private static final long CLOSE_AFTER = SETTINGS.window().gapMs() + SETTINGS.window().graceMs();

    private final List<StateStore> stores = new ArrayList<>();
    private MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    private SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void stores() {
        for (StoreBuilder<?> builder : SessionStores.builders(false)) {
            // MockProcessorContext cannot host the record cache (session-meta's); the driver tests and the IT run it
            StateStore store = builder.withLoggingDisabled().withCachingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            stores.add(store);
        }
    }

    @Test
    void shouldCloseTheOpenSessionsOfARestartedProcessorWhenTheyComeDue() {
        SessionProcessor first = start();
        process(first, Engagement.click("alice", T0));
        process(first, Engagement.click("bob", T0 + 10 * MIN));
        first.close();

        SessionProcessor restarted = restart();
        assertThat(openGauge(restarted)).isEqualTo(2);
        process(restarted, Engagement.click("carol", T0 + CLOSE_AFTER + 1));
        assertThat(closedUsers()).containsExactly("alice");
        process(restarted, Engagement.click("carol", T0 + 10 * MIN + CLOSE_AFTER + 1));
        assertThat(closedUsers()).containsExactly("bob");
    }

    @Test
    void shouldKeepASessionThatOutgrewItsEntryOpenWhenTheRebuiltEntryComesDue() {
        SessionProcessor first = start();
        process(first, Engagement.click("alice", T0));
        // joins the session at its end: the entry stays keyed at T0 (the lazy index), and so it is rebuilt
        process(first, Engagement.click("alice", T0 + 20 * MIN));
        first.close();

        SessionProcessor restarted = restart();
        process(restarted, Engagement.click("bob", T0 + CLOSE_AFTER + 1));
        assertThat(closedUsers()).as("re-indexed at its end, not closed").isEmpty();
        process(restarted, Engagement.click("bob", T0 + 20 * MIN + CLOSE_AFTER));
        assertThat(closedUsers()).isEmpty();
        process(restarted, Engagement.click("bob", T0 + 20 * MIN + CLOSE_AFTER + 1));
        assertThat(closedSessions()).singleElement().satisfies(s -> {
            assertThat(s.userId()).isEqualTo("alice");
            assertThat(s.sessionStartMs()).isEqualTo(T0);
            assertThat(s.sessionEndMs()).isEqualTo(T0 + 20 * MIN);
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldIndexStateOfTheFirstLayoutAtEachSessionsEndWhenRebuilt() {
        KeyValueStore<String, byte[]> open = (KeyValueStore<String, byte[]>) stores.get(0);
        open.put("early", SessionCodec.encodeOpenV1(List.of(
                SessionAggregate.of(Engagement.click("early", T0), SessionAggregate.UNKNOWN_INGESTION),
                SessionAggregate.of(Engagement.click("early", T0 + CLOSE_AFTER), SessionAggregate.UNKNOWN_INGESTION))));

        SessionProcessor processor = start();
        assertThat(openGauge(processor)).isEqualTo(2);
        process(processor, Engagement.click("bob", T0 + CLOSE_AFTER + 1));
        assertThat(closedSessions()).extracting(EngagementSession::sessionStartMs).containsExactly(T0);
        process(processor, Engagement.click("bob", T0 + 2 * CLOSE_AFTER + 1));
        assertThat(closedSessions()).extracting(EngagementSession::sessionStartMs).containsExactly(T0 + CLOSE_AFTER);
    }

    private SessionProcessor start() {
        stores.forEach(context::addStateStore);
        SessionProcessor processor = new SessionProcessor(SETTINGS, new SessionMetrics(registry),
                Topics.ENGAGEMENT_CLEAN.name(), new SessionProcessor.Sinks("sessions", "alerts", "late"));
        processor.init(context);
        return processor;
    }

    private SessionProcessor restart() {
        context = new MockProcessorContext<>();
        registry = new SimpleMeterRegistry();
        return start();
    }

    private double openGauge(SessionProcessor processor) {
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(0);
        return registry.get("streamfleet.session.open").gauge().value();
    }

    private void process(SessionProcessor processor, EngagementEvent event) {
        context.setRecordMetadata(Topics.ENGAGEMENT_CLEAN.name(), 0, 0);
        processor.process(new Record<>(event.userId(), event, event.eventTimeMs(), new RecordHeaders()));
    }

    private List<EngagementSession> closedSessions() {
        List<EngagementSession> sessions = context.forwarded("sessions").stream()
                .map(f -> (EngagementSession) f.record().value()).toList();
        context.resetForwards();
        return sessions;
    }

    private List<String> closedUsers() {
        return closedSessions().stream().map(EngagementSession::userId).toList();
    }
}
