package io.streamfleet.processor.topology;

/**
 * Sent by the event gate to the stats processor whenever the partition's stream time (idle advance included) moves,
 * so windows close on exactly the clock the lateness rule uses: no accepted event can land in a closed window.
 */
record StreamTimeTick(long streamTimeMs) {
}
