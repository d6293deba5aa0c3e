package io.streamfleet.alerts.config;

import io.streamfleet.alerts.feed.FeedSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code streamfleet.alerts.*}: topics, the SSE feed, history and the console. Webhooks have their own record.
 *
 * @param anomalyTopic     anomaly alerts
 * @param engagementTopic  engagement alerts
 * @param startupWait      how long start-up waits for the in-memory views to catch up with their topics
 * @param feed             SSE feed settings
 * @param history          history settings
 * @param console          console settings
 */
@ConfigurationProperties("streamfleet.alerts")
public record AlertApiProperties(
        @DefaultValue("alerts.anomaly") String anomalyTopic,
        @DefaultValue("alerts.engagement") String engagementTopic,
        @DefaultValue("60s") Duration startupWait,
        @DefaultValue Feed feed,
        @DefaultValue History history,
        @DefaultValue Console console) {

    /**
     * @param heartbeat    comment line interval that keeps proxies from closing idle streams
     * @param retry        reconnect delay hint ({@code retry:}) for EventSource clients
     * @param bufferLimit  live events queued per client before the client is disconnected to resume from Kafka
     * @param stallTimeout a catch-up read from Kafka making no progress this long ends the stream
     */
    public record Feed(@DefaultValue("15s") Duration heartbeat, @DefaultValue("3s") Duration retry,
                       @DefaultValue("1000") int bufferLimit, @DefaultValue("30s") Duration stallTimeout) {

        public FeedSettings settings() {
            if (bufferLimit < 1) {
                throw new IllegalArgumentException("streamfleet.alerts.feed.buffer-limit must be at least 1");
            }
            return new FeedSettings(heartbeat, retry, bufferLimit, stallTimeout);
        }
    }

    /**
     * @param retention   alerts younger than this (by detectedAtMs) are kept and rebuilt from the topics on start
     * @param maxAlerts   upper bound of kept alerts (oldest dropped first)
     */
    public record History(@DefaultValue("7d") Duration retention, @DefaultValue("200000") int maxAlerts) {
    }

    /** @param prefillDevKey local mode only: the console offers the development key so nobody has to paste it */
    public record Console(@DefaultValue("false") boolean prefillDevKey) {
    }
}
