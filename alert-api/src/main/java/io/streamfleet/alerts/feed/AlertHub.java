package io.streamfleet.alerts.feed;

import io.streamfleet.alerts.alert.FeedAlert;
import io.streamfleet.alerts.feed.position.PartitionKey;
import io.streamfleet.alerts.feed.position.PositionVector;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fans the live tail of the alert topics out to connected feed sessions. It knows how far the tail has read; a session
 * registers and receives that position atomically, so everything before it comes from Kafka (catch-up) and everything
 * after from here: together exactly the records after the client's position. On shutdown it ends every stream, since
 * an SSE stream never ends by itself and would hold up the web server's graceful shutdown until its timeout.
 */
public final class AlertHub {

    private final List<FeedSession> sessions = new CopyOnWriteArrayList<>();
    private PositionVector position = PositionVector.empty();
    private volatile boolean assigned;
    private boolean stopping;

    /** The tail's start positions; until then the hub cannot serve. */
    public synchronized void onAssigned(Map<TopicPartition, Long> startPositions) {
        Map<PartitionKey, Long> start = new HashMap<>();
        startPositions.forEach((tp, offset) -> start.put(new PartitionKey(tp.topic(), tp.partition()), offset));
        position = PositionVector.of(start);
        assigned = true;
    }

    /** A record was read (decodable or not): the tail's position moves past it. */
    public synchronized void onRecord(String topic, int partition, long offset, FeedAlert alertOrNull) {
        position = position.after(new PartitionKey(topic, partition), offset);
        if (alertOrNull != null) {
            for (FeedSession session : sessions) {
                session.offer(alertOrNull);
            }
        }
    }

    /** Adds a session and returns the position from which the hub will hand it records. */
    public synchronized PositionVector register(FeedSession session) {
        sessions.add(session);
        if (stopping) {
            session.endForShutdown();
        }
        return position;
    }

    /**
     * Ends every stream now, and any stream opened from here on right after its start. The clients reconnect with
     * their last event id (to another instance, or to this one once it is back) and lose nothing.
     */
    public synchronized void shutDown() {
        stopping = true;
        sessions.forEach(FeedSession::endForShutdown);
    }

    public void unregister(FeedSession session) {
        sessions.remove(session);
    }

    public boolean isReady() {
        return assigned;
    }

    public int sessionCount() {
        return sessions.size();
    }
}
