package io.streamfleet.alerts.feed;

import java.time.Duration;

/**
 * @param heartbeat    interval of {@code :heartbeat} comments; one that falls due while the client is not reading
 *                     is skipped
 * @param retry        the {@code retry:} hint sent to clients (EventSource reconnect delay)
 * @param bufferLimit  live events queued per client before it is disconnected (to resume from Kafka)
 * @param stallTimeout a catch-up read making no progress this long fails the stream
 */
public record FeedSettings(Duration heartbeat, Duration retry, int bufferLimit, Duration stallTimeout) {
}
