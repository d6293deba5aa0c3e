package io.streamfleet.cep.operator;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code cep-buffer} store: orders accepted, until the watermark has passed them by the matcher's retention (the
 * key states refer to the drained ones, see {@link KeyStates}), in <em>chunks</em>. Orders whose
 * event times fall in one {@value #BUCKET_MS} ms bucket are appended, in arrival order, to that bucket's open chunk
 * until it holds {@code chunkBytes}; then the bucket starts a new one. Each append puts the whole chunk again, and the
 * store's record cache (cep-detector sets {@code statestore.cache.max.bytes}) keeps only the last put of a chunk per
 * commit: a chunk reaches RocksDB and the changelog once per commit that touched it, and once more as a tombstone when
 * it expires, instead of a put and a tombstone per order (docs/cep-detector.md, "Per-record
 * cost, third round"). Without a cache ({@code chunkBytes} 0) every chunk holds one order.
 *
 * <p>Key: bucket start (sign-flipped big-endian, as every time prefix of the detector's stores), the marker byte
 * {@code 0xFF}, a sequence number (big-endian) unique among the live chunks. Value: the format byte {@value #PADDED},
 * the number of bytes in use (header included), then per order its event time, record key (length and UTF-8 bytes),
 * length and stored form ({@link OrderCodec}), then unused room up to the value's end (the array the next orders are
 * appended into, see {@link #add}). Chunks of format {@value #FORMAT} (no length, the orders fill the value), written
 * by the version before, are still read. A bucket's chunks sort by
 * sequence, and sequences grow in arrival order, so a bucket reads back in arrival order. The entries of the layout
 * before chunks — one order each, keyed (time, key length, key, event id), whose ninth byte is the key length's high
 * byte, never {@code 0xFF} — are still read and drained, so a store written by the older version needs no reset.
 *
 * <p>Draining to W from the last drained watermark D takes the orders with D ≤ t &lt; W: an order with t &lt; D in a
 * chunk was taken by an earlier drain (it was accepted when D was at most t, so it was there when D passed it). The
 * drain scans from the bucket of D, a range seek. Drained orders stay: {@link #expire} deletes, when the processor
 * tells it, the chunks of whole buckets below a bound, scanning from where it stopped last time, so neither a drain
 * nor an expiry steps over the tombstones of the front one by one, which a scan from the start of a restored store
 * would (docs/cep-detector.md).
 *
 * <p>The processor keeps the open chunk of each bucket in memory (the bytes it last put); like its key-state map this
 * is safe because Kafka Streams discards uncommitted writes only by closing the task and initialising its processors
 * again, and {@link #open} rebuilds from the store.
 */
final class OrderBuffer {

    /** Event-time width of a bucket; part of the stored layout (the chunk keys' time prefix). */
    static final long BUCKET_MS = 20;
    /** Chunk size when the store is cached: ~40 orders of the usual size. */
    static final int CHUNK_BYTES = 4_096;
    static final byte CHUNK = (byte) 0xFF;
    /** Format of the chunks written before the padded layout: the orders fill the value to its end. */
    static final byte FORMAT = 1;
    /** Padded layout: a format byte, the length in use (int), the orders, unused bytes up to the value's end. */
    static final byte PADDED = 2;
    private static final int PADDED_HEADER = 1 + 4;
    /** Room a new chunk starts with when the store is cached; doubled as orders come, up to {@code chunkBytes}. */
    static final int FIRST_ROOM = 512;
    private static final int CHUNK_KEY_LENGTH = 8 + 1 + 8;

    private final KeyValueStore<Bytes, byte[]> store;
    private final int chunkBytes;
    private final Map<Long, OpenChunk> open = new HashMap<>();
    private long nextSequence;

    /** An order taken off the buffer: its record key, event time and stored form; legacy if it had an entry alone. */
    record Taken(String key, long timeMs, byte[] order, boolean legacy) {
    }

    private static final class OpenChunk {
        private final Bytes key;
        private byte[] value;
        /** Bytes of {@code value} in use, header included; the rest is room for the next orders. */
        private int used;

        private OpenChunk(Bytes key) {
            this.key = key;
        }
    }

    /** @param chunkBytes largest chunk that takes another order; 0 for one order per chunk (no record cache) */
    OrderBuffer(KeyValueStore<Bytes, byte[]> store, int chunkBytes) {
        this.store = store;
        this.chunkBytes = chunkBytes;
    }

    /** What {@link #open} found: orders awaiting a drain, and the drained orders still held (for the key states). */
    record Opened(long awaiting, List<Taken> retained) {
    }

    /**
     * Reads the live entries once at start, from {@code heldFromMs} (where the buffer is complete, at or before the
     * drained watermark): new chunks get sequences above every stored one. Returns how many orders await a drain past
     * {@code drainedMs} (the last drained watermark), and the drained orders from {@code heldFromMs} on, in buffer
     * order.
     */
    Opened open(long drainedMs, long heldFromMs) {
        open.clear();
        long awaiting = 0;
        long highest = -1;
        List<Taken> retained = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(lowerBound(Math.min(drainedMs, heldFromMs))),
                null)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                byte[] key = entry.key.get();
                if (!isChunk(key)) {
                    long timeMs = StateCodec.bufferKeyTime(key);
                    if (timeMs >= drainedMs) {
                        awaiting++;
                    } else if (timeMs >= heldFromMs) {
                        retained.add(new Taken(StateCodec.bufferKeyKey(key), timeMs, entry.value, true));
                    }
                    continue;
                }
                highest = Math.max(highest, sequence(key));
                StoreBytes.Reader in = chunkReader(entry.value);
                while (in.hasRemaining()) {
                    long timeMs = in.readLong();
                    if (timeMs < drainedMs && timeMs >= heldFromMs) {
                        retained.add(read(in, entry.value, timeMs));
                        continue;
                    }
                    if (timeMs >= drainedMs) {
                        awaiting++;
                    }
                    // awaiting a drain, or below where the buffer is complete: only counted or skipped, not decoded
                    in.skip(in.readInt());
                    in.skip(in.readInt());
                }
            }
        }
        nextSequence = highest + 1;
        return new Opened(awaiting, retained);
    }

    /**
     * Appends an accepted order to its bucket's open chunk (or a new chunk) and puts the chunk.
     *
     * <p>The order is written into the room left at the end of the chunk's array and the used length in its header
     * updated, in place; only when the room is short is the chunk copied into an array twice as large (up to
     * {@code chunkBytes}). Rewriting the whole chunk into a new exact-size array at every append, as before, copied
     * about half a chunk per order. Writing in place into the array put last time is safe because no holder of it
     * reads past the used length, and every write of the stored value copies it at once: RocksDB's put, the changelog
     * producer's send (serialised into its batch during the call) and the record cache's flush, which does both. An
     * array the record cache still holds is changed only by appending past its used length and then put again in the
     * same call, so what the cache flushes is always a chunk as it was after some complete append.
     */
    void add(long timeMs, String key, byte[] order) {
        long bucket = bucketOf(timeMs);
        byte[] recordKey = key.getBytes(StandardCharsets.UTF_8);
        int entryBytes = 8 + 4 + recordKey.length + 4 + order.length;
        OpenChunk chunk = open.get(bucket);
        if (chunk == null || chunk.used + entryBytes > chunkBytes) {
            chunk = new OpenChunk(Bytes.wrap(chunkKey(bucket, nextSequence++)));
            open.put(bucket, chunk);
            int needed = PADDED_HEADER + entryBytes;
            chunk.value = new byte[chunkBytes == 0 ? needed : Math.max(needed, Math.min(FIRST_ROOM, chunkBytes))];
            chunk.value[0] = PADDED;
            chunk.used = PADDED_HEADER;
        } else if (chunk.used + entryBytes > chunk.value.length) {
            // chunk.used + entryBytes <= chunkBytes here, so the value never grows past chunkBytes
            chunk.value = Arrays.copyOf(chunk.value, Math.max(chunk.used + entryBytes,
                    Math.min(chunk.value.length * 2, chunkBytes)));
        }
        byte[] value = chunk.value;
        int at = chunk.used;
        at = putLong(value, at, timeMs);
        at = putInt(value, at, recordKey.length);
        System.arraycopy(recordKey, 0, value, at, recordKey.length);
        at = putInt(value, at + recordKey.length, order.length);
        System.arraycopy(order, 0, value, at, order.length);
        chunk.used = at + order.length;
        putInt(value, 1, chunk.used);
        store.put(chunk.key, value);
    }

    private static int putLong(byte[] into, int at, long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            into[at++] = (byte) (v >>> shift);
        }
        return at;
    }

    private static int putInt(byte[] into, int at, int v) {
        into[at] = (byte) (v >>> 24);
        into[at + 1] = (byte) (v >>> 16);
        into[at + 2] = (byte) (v >>> 8);
        into[at + 3] = (byte) v;
        return at + 4;
    }

    /**
     * Takes every order with {@code drainedMs ≤ t < upToMs} ({@code drainedMs}: the watermark last drained to), in
     * key order and within a chunk in arrival order. Nothing is deleted here: drained orders stay until
     * {@link #expire} (the key states refer to them); a chunk left with nothing at or after {@code upToMs} only stops
     * being the open chunk of its bucket, since no order can be accepted into it any more.
     */
    List<Taken> take(long drainedMs, long upToMs) {
        List<Taken> taken = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(lowerBound(drainedMs)), null)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                byte[] key = entry.key.get();
                long prefix = StateCodec.bufferKeyTime(key);
                if (prefix >= upToMs) {
                    break;
                }
                if (!isChunk(key)) {
                    if (prefix >= drainedMs) {
                        taken.add(new Taken(StateCodec.bufferKeyKey(key), prefix, entry.value, true));
                    }
                    continue;
                }
                boolean later = false;
                StoreBytes.Reader in = chunkReader(entry.value);
                while (in.hasRemaining()) {
                    long timeMs = in.readLong();
                    if (timeMs < drainedMs || timeMs >= upToMs) {
                        later |= timeMs >= upToMs;
                        in.skip(in.readInt());
                        in.skip(in.readInt());
                        continue;
                    }
                    taken.add(read(in, entry.value, timeMs));
                }
                if (!later) {
                    OpenChunk chunk = open.get(prefix);
                    if (chunk != null && chunk.key.equals(entry.key)) {
                        open.remove(prefix);
                    }
                }
            }
        }
        return taken;
    }

    /** Reads the rest of an order whose time {@code in} just read: its record key and stored form. */
    private static Taken read(StoreBytes.Reader in, byte[] value, long timeMs) {
        int keyLength = in.readInt();
        int keyFrom = in.position();
        in.skip(keyLength);
        String recordKey = new String(value, keyFrom, keyLength, StandardCharsets.UTF_8);
        int length = in.readInt();
        int from = in.position();
        in.skip(length);
        return new Taken(recordKey, timeMs, in.readSince(from), false);
    }

    /**
     * Deletes every entry whose orders all lie before the bucket of {@code belowMs}, scanning from the bucket of
     * {@code fromMs} (where the last expiry stopped, so the seek lands past its tombstones). Afterwards the buffer
     * still holds every order at or after {@code belowMs}. Returns how many entries it deleted.
     */
    int expire(long fromMs, long belowMs) {
        long bound = bucketOf(belowMs);
        List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(lowerBound(fromMs)),
                Bytes.wrap(StateCodec.bufferFrom(bound)))) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                // range's upper bound is inclusive: the bare prefix itself is never a stored key, but stay exact
                if (StateCodec.bufferKeyTime(key.get()) < bound) {
                    expired.add(key);
                }
            }
        }
        for (Bytes key : expired) {
            store.put(key, null); // the store's delete without delete()'s read of the old value
        }
        open.keySet().removeIf(bucket -> bucket < bound);
        return expired.size();
    }

    /** Start of the bucket holding {@code timeMs} (the lowest time for the first, partial bucket). */
    static long bucketOf(long timeMs) {
        long into = Math.floorMod(timeMs, BUCKET_MS);
        return timeMs < Long.MIN_VALUE + into ? Long.MIN_VALUE : timeMs - into;
    }

    /** The scan bound for a drain from {@code drainedMs}: every live entry sorts at or above it. */
    static byte[] lowerBound(long drainedMs) {
        return StateCodec.bufferFrom(bucketOf(drainedMs));
    }

    static byte[] chunkKey(long bucket, long sequence) {
        return ByteBuffer.allocate(CHUNK_KEY_LENGTH).putLong(bucket ^ Long.MIN_VALUE).put(CHUNK).putLong(sequence)
                .array();
    }

    static boolean isChunk(byte[] key) {
        return key.length == CHUNK_KEY_LENGTH && key[8] == CHUNK;
    }

    private static long sequence(byte[] chunkKey) {
        return ByteBuffer.wrap(chunkKey, 9, 8).getLong();
    }

    /** Reads a chunk's orders: all the value after the format byte, or in the padded layout the used length. */
    private static StoreBytes.Reader chunkReader(byte[] value) {
        if (value.length > 0 && value[0] == FORMAT) {
            return new StoreBytes.Reader(value, 1);
        }
        if (value.length >= PADDED_HEADER && value[0] == PADDED) {
            int used = new StoreBytes.Reader(value, 1).readInt();
            if (used < PADDED_HEADER || used > value.length) {
                throw new IllegalStateException("cep-buffer chunk of " + value.length + " bytes claims " + used
                        + " in use");
            }
            return new StoreBytes.Reader(value, PADDED_HEADER, used);
        }
        throw new IllegalStateException("unknown cep-buffer chunk format " + (value.length == 0 ? "(empty)"
                : value[0]));
    }
}
