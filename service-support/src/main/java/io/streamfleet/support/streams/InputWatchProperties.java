package io.streamfleet.support.streams;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code streamfleet.streams.input-watch.*}: how the input partitions' log ends are watched so that idle advance
 * never runs over records still arriving or during a broker outage ({@link InputLogWatch}).
 *
 * @param enabled    false: not watched (idle advance trusts the consumer's lag metric alone)
 * @param refresh    how often the input partitions' leaders are asked for their log-end offsets
 * @param staleAfter how old the last answer may be before a partition counts as unreachable; keep it well below the
 *                   smallest allowed lateness, as stream time can still advance by about that much after a broker
 *                   stops
 * @param quietAfter how long a partition's log end must stand still before the partition may count as idle
 */
@ConfigurationProperties("streamfleet.streams.input-watch")
public record InputWatchProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("250ms") Duration refresh,
        @DefaultValue("1s") Duration staleAfter,
        @DefaultValue("1s") Duration quietAfter) {
}
