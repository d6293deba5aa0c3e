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
 * @param lateEvents       the view of which keys' events came too late (docs/alert-api.md#late-events)
 */
@ConfigurationProperties("streamfleet.alerts")
public record AlertApiProperties(
        @DefaultValue("alerts.anomaly") String anomalyTopic,
        @DefaultValue("alerts.engagement") String engagementTopic,
        @DefaultValue("60s") Duration startupWait,
        @DefaultValue Feed feed,
        @DefaultValue History history,
        @DefaultValue Console console,
        @DefaultValue LateEvents lateEvents) {

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

    /**
     * @param prefillDevKey       local mode only: the console offers the development key so nobody has to paste it
     * @param evidenceTopic       burst alerts' matched orders, written by cep-detector
     * @param evidenceMaxAlerts   alerts whose evidence is kept in memory (oldest arrival dropped first)
     * @param sessionAnalyticsUrl base URL of session-analytics, asked for a user's baseline when the console shows an
     *                            engagement drop
     * @param services            name → base URL of each service whose {@code /actuator/health} the pipeline health
     *                            shows (alert-api reports itself)
     * @param consumerGroups      consumer groups (Kafka Streams application ids) whose lag the pipeline health shows
     * @param healthTimeout       how long one service's health or one lag query may take before it shows as unknown
     */
    public record Console(@DefaultValue("false") boolean prefillDevKey,
                          @DefaultValue("alerts.evidence") String evidenceTopic,
                          @DefaultValue("5000") int evidenceMaxAlerts,
                          @DefaultValue("http://localhost:8083") String sessionAnalyticsUrl,
                          @DefaultValue({"ingest-gateway=http://localhost:8080",
                                  "stream-processor=http://localhost:8081", "cep-detector=http://localhost:8082",
                                  "session-analytics=http://localhost:8083"}) java.util.List<String> services,
                          @DefaultValue({"streamfleet-stream-processor", "streamfleet-cep-detector",
                                  "streamfleet-session-analytics"}) java.util.List<String> consumerGroups,
                          @DefaultValue("5s") Duration healthTimeout) {
    }

    /**
     * @param topics       the stages' late topics, read by every instance from their end at start (no consumer group)
     * @param horizon      a key stays in the view while its last late record arrived (wall clock) less than this ago
     * @param maxKeys      keys held at most over all topics; a new key beyond it evicts the one late longest ago
     * @param gaugeTopKeys keys per topic on the per-key gauge ({@code streamfleet_alerts_late_key_events}); 0 = none
     * @param gaugeRefresh how often that gauge is redrawn (and expired keys dropped)
     */
    public record LateEvents(@DefaultValue({"orders.late", "engagement.late", "orders.cep.late"})
                             java.util.List<String> topics,
                             @DefaultValue("15m") Duration horizon,
                             @DefaultValue("10000") int maxKeys,
                             @DefaultValue("20") int gaugeTopKeys,
                             @DefaultValue("10s") Duration gaugeRefresh) {
    }
}
