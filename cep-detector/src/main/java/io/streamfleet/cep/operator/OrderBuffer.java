package io.streamfleet.cep.operator;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code cep-buffer} store: orders accepted but not yet behind the watermark, in <em>chunks</em>. Orders whose
 * event times fall in one {@value #BUCKET_MS} ms bucket are appended, in arrival order, to that bucket's open chunk
 * until it holds {@code chunkBytes}; then the bucket starts a new one. Each append puts the whole chunk again, and the
 * store's record cache (cep-detector sets {@code statestore.cache.max.bytes}) keeps only the last put of a chunk per
 * commit: a chunk reaches RocksDB and the changelog once per commit that touched it, and once more as a tombstone when
 * the watermark has passed all of it, instead of a put and a tombstone per order (docs/cep-detector.md, "Per-record
 * cost, third round"). Without a cache ({@code chunkBytes} 0) every chunk holds one order.
 *
 * <p>Key: bucket start (sign-flipped big-endian, as every time prefix of the detector's stores), the marker byte
 * {@code 0xFF}, a sequence number (big-endian) unique among the live chunks. Value: a format byte, then per order its
 * event time, record key (length and UTF-8 bytes), length and stored form ({@link OrderCodec}). A bucket's chunks sort by
 * sequence, and sequences grow in arrival order, so a bucket reads back in arrival order. The entries of the layout
 * before chunks — one order each, keyed (time, key length, key, event id), whose ninth byte is the key length's high
 * byte, never {@code 0xFF} — are still read and drained, so a store written by the older version needs no reset.
 *
 * <p>Draining to W from the last drained watermark D takes the orders with D ≤ t &lt; W: an order with t &lt; D in a
 * chunk was taken by an earlier drain (it was accepted when D was at most t, so it was there when D passed it). A chunk
 * is deleted once none of its orders is at or after W, so every live chunk holds an order at or after D and lies at or
 * above the bucket of D, where the scan starts (the seek past the drained front, see {@link DueFront}).
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
    static final byte FORMAT = 1;
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

        private OpenChunk(Bytes key) {
            this.key = key;
        }
    }

    /** @param chunkBytes largest chunk that takes another order; 0 for one order per chunk (no record cache) */
    OrderBuffer(KeyValueStore<Bytes, byte[]> store, int chunkBytes) {
        this.store = store;
        this.chunkBytes = chunkBytes;
    }

    /**
     * Reads the live entries once at start: new chunks get sequences above every stored one. Returns the orders
     * awaiting a drain past {@code drainedMs} (the last drained watermark).
     */
    long open(long drainedMs) {
        open.clear();
        long awaiting = 0;
        long highest = -1;
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(lowerBound(drainedMs)), null)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                byte[] key = entry.key.get();
                if (isChunk(key)) {
                    highest = Math.max(highest, sequence(key));
                    StoreBytes.Reader in = chunkReader(entry.value);
                    while (in.hasRemaining()) {
                        long timeMs = in.readLong();
                        in.skip(in.readInt());
                        in.skip(in.readInt());
                        if (timeMs >= drainedMs) {
                            awaiting++;
                        }
                    }
                } else {
                    awaiting++;
                }
            }
        }
        nextSequence = highest + 1;
        return awaiting;
    }

    /** Appends an accepted order to its bucket's open chunk (or a new chunk) and puts the chunk. */
    void add(long timeMs, String key, byte[] order) {
        long bucket = bucketOf(timeMs);
        byte[] recordKey = key.getBytes(StandardCharsets.UTF_8);
        int entryBytes = 8 + 4 + recordKey.length + 4 + order.length;
        OpenChunk chunk = open.get(bucket);
        StoreBytes.Writer out;
        if (chunk != null && chunk.value.length + entryBytes <= chunkBytes) {
            out = new StoreBytes.Writer(chunk.value.length + entryBytes);
            out.write(chunk.value);
        } else {
            chunk = new OpenChunk(Bytes.wrap(chunkKey(bucket, nextSequence++)));
            open.put(bucket, chunk);
            out = new StoreBytes.Writer(1 + entryBytes);
            out.writeByte(FORMAT);
        }
        out.writeLong(timeMs);
        out.writeInt(recordKey.length);
        out.write(recordKey);
        out.writeInt(order.length);
        out.write(order);
        chunk.value = out.toByteArray();
        store.put(chunk.key, chunk.value);
    }

    /**
     * Takes every order with {@code drainedMs ≤ t < upToMs} ({@code drainedMs}: the watermark last drained to), in
     * key order and within a chunk in arrival order, and deletes the entries left with nothing at or after
     * {@code upToMs}.
     */
    List<Taken> take(long drainedMs, long upToMs) {
        List<Taken> taken = new ArrayList<>();
        List<Bytes> emptied = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(lowerBound(drainedMs)), null)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                byte[] key = entry.key.get();
                long prefix = StateCodec.bufferKeyTime(key);
                if (prefix >= upToMs) {
                    break;
                }
                if (!isChunk(key)) {
                    taken.add(new Taken(StateCodec.bufferKeyKey(key), prefix, entry.value, true));
                    emptied.add(entry.key);
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
                    int keyLength = in.readInt();
                    int keyFrom = in.position();
                    in.skip(keyLength);
                    String recordKey = new String(entry.value, keyFrom, keyLength, StandardCharsets.UTF_8);
                    int length = in.readInt();
                    int from = in.position();
                    in.skip(length);
                    taken.add(new Taken(recordKey, timeMs, in.readSince(from), false));
                }
                if (!later) {
                    emptied.add(entry.key);
                    OpenChunk chunk = open.get(prefix);
                    if (chunk != null && chunk.key.equals(entry.key)) {
                        open.remove(prefix);
                    }
                }
            }
        }
        for (Bytes key : emptied) {
            store.put(key, null); // the store's delete without delete()'s read of the old value
        }
        return taken;
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

    private static StoreBytes.Reader chunkReader(byte[] value) {
        if (value.length == 0 || value[0] != FORMAT) {
            throw new IllegalStateException("unknown cep-buffer chunk format " + (value.length == 0 ? "(empty)"
                    : value[0]));
        }
        return new StoreBytes.Reader(value, 1);
    }
}
