package io.streamfleet.session.config;

import io.streamfleet.session.baseline.BaselineRule;
import io.streamfleet.session.metrics.SessionWindowRule;
import io.streamfleet.session.topology.SessionSettings;
import io.streamfleet.session.topology.SessionTopology;
import io.streamfleet.support.progress.ProgressRules;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code streamfleet.session.*}: session windows, the baseline rule and the topics (defaults in
 * docs/session-analytics.md). Invalid values fail start-up with a message naming the setting. Stream time moves only
 * by the input's data and progress records (docs/event-time.md), so no setting here is timed by the wall clock
 * except the metrics report interval.
 *
 * @param inputTopic          engagement events to sessionize
 * @param sessionsTopic       closed sessions
 * @param alertsTopic         engagement-drop alerts
 * @param lateTopic           events behind the grace
 * @param inactivityGap       a session ends after this much event time without an event of its user
 * @param grace               how far behind stream time an event may still arrive (lateness)
 * @param emaAlpha            smoothing factor of the per-user baseline EMA
 * @param dropThreshold       smallest relative drop of asd below the baseline that alerts
 * @param punctuationInterval how often stream time and state sizes are reported as metrics
 * @param queryForwardTimeout how long a baseline query forwarded to the owning instance may take
 */
@ConfigurationProperties("streamfleet.session")
public record SessionProperties(
        @DefaultValue("engagement.clean") String inputTopic,
        @DefaultValue("engagement.sessions") String sessionsTopic,
        @DefaultValue("alerts.engagement") String alertsTopic,
        @DefaultValue("engagement.late") String lateTopic,
        @DefaultValue("30m") Duration inactivityGap,
        @DefaultValue("120s") Duration grace,
        @DefaultValue("0.3") double emaAlpha,
        @DefaultValue("0.30") double dropThreshold,
        @DefaultValue("1s") Duration punctuationInterval,
        @DefaultValue("2s") Duration queryForwardTimeout) {

    public SessionProperties {
        requireSet("input-topic", inputTopic);
        requireSet("sessions-topic", sessionsTopic);
        requireSet("alerts-topic", alertsTopic);
        requireSet("late-topic", lateTopic);
        try {
            build(inactivityGap, grace, emaAlpha, dropThreshold, punctuationInterval);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid streamfleet.session settings: " + e.getMessage(), e);
        }
    }

    private static void requireSet(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("streamfleet.session." + name + " must not be blank");
        }
    }

    public SessionSettings settings() {
        return build(inactivityGap, grace, emaAlpha, dropThreshold, punctuationInterval);
    }

    private static SessionSettings build(Duration gap, Duration grace, double alpha, double threshold,
                                         Duration punctuationInterval) {
        return new SessionSettings(new SessionWindowRule(gap.toMillis(), grace.toMillis()),
                new BaselineRule(alpha, threshold), ProgressRules.defaults(), punctuationInterval);
    }

    public SessionTopology.TopicNames topics() {
        return new SessionTopology.TopicNames(inputTopic, sessionsTopic, alertsTopic, lateTopic, true);
    }
}
