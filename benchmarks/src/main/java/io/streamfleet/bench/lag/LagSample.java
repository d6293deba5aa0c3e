package io.streamfleet.bench.lag;

/**
 * Consumer lag of one group at one moment: the sum over its partitions of (last stable offset − committed offset).
 *
 * @param atMs  milliseconds since the run start
 * @param group consumer group (a Kafka Streams application id)
 * @param lag   records behind, or −1 if the group had no committed offsets yet
 */
public record LagSample(long atMs, String group, long lag) {
}
