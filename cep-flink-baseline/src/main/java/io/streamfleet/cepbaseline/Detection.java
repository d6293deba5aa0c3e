package io.streamfleet.cepbaseline;

/**
 * One reported episode, in a shape both engines can produce: enough to tell whether two engines found the same
 * episode ({@link #episode()}: key and first create) and how they sized it. A plain record, so Flink treats it as a
 * POJO type.
 *
 * @param key           accountId|symbol
 * @param firstCreateId event id of the first create of the burst
 * @param created       creates in the match
 * @param canceled      cancels in the match
 * @param windowStartMs time of the first event of the match
 * @param windowEndMs   time of the last event of the match
 */
public record Detection(String key, String firstCreateId, int created, int canceled, long windowStartMs,
                        long windowEndMs) {

    /** Identity of the episode, independent of how many cancels an engine attached to it. */
    public String episode() {
        return key + "/" + firstCreateId;
    }
}
