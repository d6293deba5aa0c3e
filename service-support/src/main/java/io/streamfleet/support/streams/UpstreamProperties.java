package io.streamfleet.support.streams;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * {@code streamfleet.streams.upstream.*}: the stage that feeds this service, watched so that idle advance never
 * mistakes a stalled upstream (crashed, restarting, rebalancing) for a quiet input. Empty {@code group-id}: no
 * upstream is watched.
 *
 * @param groupId     consumer group (Kafka Streams application id) of the upstream stage
 * @param topics      the upstream stage's input topics
 * @param refresh     how often the upstream's lag is read
 * @param staleAfter  how old the last successful reading may be before the upstream counts as behind
 */
@ConfigurationProperties("streamfleet.streams.upstream")
public record UpstreamProperties(
        @DefaultValue("") String groupId,
        @DefaultValue("") List<String> topics,
        @DefaultValue("500ms") Duration refresh,
        @DefaultValue("3s") Duration staleAfter) {

    public UpstreamProperties {
        topics = topics == null ? List.of() : topics.stream().filter(t -> !t.isBlank()).toList();
        if (!groupId.isBlank() && topics.isEmpty()) {
            throw new IllegalArgumentException("streamfleet.streams.upstream.topics must name the input topics of "
                    + "upstream group " + groupId);
        }
    }

    public boolean enabled() {
        return !groupId.isBlank();
    }
}
