package io.streamfleet.session.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.session.metrics.SessionAggregate;
import io.streamfleet.session.support.Engagement;
import io.streamfleet.session.engine.IndexEntry;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing scans start where the last one ended — at {@code closedBeforeMs} of the stored stream time — also after a
 * restart, so the tombstones a restored closing index holds below that point are never walked.
 */
class ClosingIndexScanTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final SessionSettings SETTINGS = SessionSettings.defaults();
    private static final long CLOSE_AFTER = SETTINGS.window().gapMs() + SETTINGS.window().graceMs();

    private final List<StateStore> stores = new ArrayList<>();
    private MockProcessorContext<String, Object> context = new MockProcessorContext<>();

    @Test
    @SuppressWarnings("unchecked")
    void shouldResumeClosingScansAtTheStoredStreamTimeWhenRestartedSoEntriesBelowItAreNeverVisited() {
        for (StoreBuilder<?> builder : SessionStores.builders(false)) {
            // MockProcessorContext cannot host the record cache (session-meta's); the driver tests and the IT run it
            StateStore store = builder.withLoggingDisabled().withCachingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            stores.add(store);
        }
        SessionProcessor first = start();
        process(first, Engagement.click("alice", T0));
        process(first, Engagement.click("bob", T0 + CLOSE_AFTER + 1));
        assertThat(closedUsers()).containsExactly("alice");
        // an open session indexed below the bound stands in for what a restored index holds there: tombstones
        KeyValueStore<String, byte[]> open = context.getStateStore(SessionStores.OPEN);
        KeyValueStore<Bytes, byte[]> closings = context.getStateStore(SessionStores.CLOSINGS);
        Bytes below = SessionCodec.closingKey(new IndexEntry(T0 - 1, T0 - 1, "planted"));
        open.put("planted", SessionCodec.encodeOpenV1(List.of(
                SessionAggregate.of(Engagement.click("planted", T0 - 1), SessionAggregate.UNKNOWN_INGESTION))));
        closings.put(below, new byte[] {1});

        first.close();
        context = new MockProcessorContext<>();
        SessionProcessor restarted = start();
        process(restarted, Engagement.click("carol", T0 + 2 * CLOSE_AFTER + 2));

        assertThat(closedUsers()).as("bob closes; the entry below the bound is never reached").containsExactly("bob");
        assertThat(closings.get(below)).isNotNull();
    }

    private SessionProcessor start() {
        stores.forEach(context::addStateStore);
        SessionProcessor processor = new SessionProcessor(SETTINGS, new SessionMetrics(new SimpleMeterRegistry()),
                Topics.ENGAGEMENT_CLEAN.name(), new SessionProcessor.Sinks("sessions", "alerts", "late"));
        processor.init(context);
        return processor;
    }

    private void process(SessionProcessor processor, EngagementEvent event) {
        context.setRecordMetadata(Topics.ENGAGEMENT_CLEAN.name(), 0, 0);
        processor.process(new Record<>(event.userId(), event, event.eventTimeMs(), new RecordHeaders()));
    }

    private List<String> closedUsers() {
        List<String> users = context.forwarded("sessions").stream()
                .map(f -> ((EngagementSession) f.record().value()).userId()).toList();
        context.resetForwards();
        return users;
    }
}
