package io.streamfleet.support.streams;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code streamfleet.streams.reachability.*}: how often the leaders of the input partitions are asked, and how old
 * their last answer may be before idle advance is held back ({@link BrokerReachability}). Keep {@code stale-after}
 * well below the smallest allowed lateness: stream time can still advance by about that much after a broker stops.
 *
 * @param enabled    false: broker reachability is not watched (idle advance trusts the lag metric alone)
 * @param refresh    how often the input partitions' leaders are asked
 * @param staleAfter how old the last answer may be
 */
@ConfigurationProperties("streamfleet.streams.reachability")
public record ReachabilityProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("250ms") Duration refresh,
        @DefaultValue("1s") Duration staleAfter) {
}
