package io.streamfleet.processor.dedup;

import java.util.Arrays;

/**
 * An exact "certainly never seen" answer in front of the dedup id store, so that a new id (almost every event) costs no
 * store lookup. Ids are remembered by time bucket in Bloom filters: {@link #mightContain} may say yes for an id never
 * added (then the store decides), but never says no for an id added at a time inside the asked range. Once buckets are
 * forgotten ({@link #forgetBefore}), a range reaching below them is answered yes, so the store decides there too.
 * <p>
 * Exactness therefore rests on one rule for the caller: every id of the store (at a time not yet forgotten) was
 * {@link #add added} — the filter is filled from the whole store when a task starts and with every id put after that.
 * <p>
 * Each bucket grows by adding a filter of {@value #GROWTH} times the capacity, with {@value #EXTRA_BITS_PER_GROWTH} more
 * bits per id, when the last one is full (a scalable Bloom filter: a lookup checks every filter of the bucket, so the
 * grown filters are made sparser and the sum of their false positives stays near the first one's ≈ 1 % of
 * {@value #BITS_PER_ID} bits per id, whatever the rate). A new bucket starts as large as the largest one held, so
 * steady traffic needs one filter per bucket; only a bucket filled from empty (after a start on little state) grows.
 * Not thread-safe: one per stream task.
 */
public final class RecentIdFilter {

    static final int BITS_PER_ID = 10;
    static final int GROWTH = 2;
    static final int EXTRA_BITS_PER_GROWTH = 2;
    private static final int MAX_BITS_PER_ID = 16;
    static final int MIN_CAPACITY = 1 << 14;
    private static final int MAX_CAPACITY = 1 << 26;

    private final long bucketMs;
    /**
     * The buckets by index ({@code floor(time / bucketMs)}), ascending, in {@code [0, count)}: a lookup binary-searches
     * its first bucket and walks on, with no allocation (a sorted map's sub-map view and iterator cost more than the
     * filters' own probes).
     */
    private long[] indexes = new long[8];
    private Bucket[] buckets = new Bucket[8];
    private int count;
    /** Lowest time still covered: buckets ending at or before it were forgotten. */
    private long coveredFromMs = Long.MIN_VALUE;
    /** End of the oldest bucket: {@link #forgetBefore} below it has nothing to do (checked per record). */
    private long oldestEndMs = Long.MAX_VALUE;
    private long lastBucket = Long.MIN_VALUE;
    private Bucket last;
    private long bytes;

    /**
     * @param bucketMs time span of one bucket: a range lookup checks about {@code range / bucketMs + 1} buckets, and
     *                 memory holds ids of up to one bucket more than the store
     */
    public RecentIdFilter(long bucketMs) {
        if (bucketMs < 1) {
            throw new IllegalArgumentException("bucket span must be >= 1 ms, was " + bucketMs);
        }
        this.bucketMs = bucketMs;
    }

    /** A filter for {@code rule}: buckets of half the retention, so a lookup checks at most five. */
    public static RecentIdFilter forRule(DedupRule rule) {
        return new RecentIdFilter(Math.max(1, rule.retentionMs() / 2));
    }

    public void add(String id, long timeMs) {
        long index = Math.floorDiv(timeMs, bucketMs);
        Bucket bucket;
        if (index == lastBucket && last != null) {
            bucket = last;
        } else {
            int at = Arrays.binarySearch(indexes, 0, count, index);
            if (at >= 0) {
                bucket = buckets[at];
            } else {
                bucket = new Bucket(sizeHint());
                bytes += bucket.bytes();
                insert(-at - 1, index, bucket);
                oldestEndMs = endOf(indexes[0]);
            }
            lastBucket = index;
            last = bucket;
        }
        bytes += bucket.add(hash(id));
    }

    /**
     * False only when no id equal to {@code id} was added at a time in {@code [fromMs, toMs]}; true when one may have
     * been (about 1 % of the ids never added), and whenever the range reaches below what was forgotten.
     */
    public boolean mightContain(String id, long fromMs, long toMs) {
        if (fromMs < coveredFromMs) {
            return true;
        }
        long fromIndex = Math.floorDiv(fromMs, bucketMs);
        long toIndex = Math.floorDiv(toMs, bucketMs);
        int at = Arrays.binarySearch(indexes, 0, count, fromIndex);
        long h = hash(id);
        for (int i = at >= 0 ? at : -at - 1; i < count && indexes[i] <= toIndex; i++) {
            if (buckets[i].mightContain(h)) {
                return true;
            }
        }
        return false;
    }

    /** Drops the buckets that end at or before {@code timeMs}; lookups reaching below their end then answer true. */
    public void forgetBefore(long timeMs) {
        if (timeMs < oldestEndMs) {
            return;
        }
        int dropped = 0;
        while (dropped < count) {
            long end = endOf(indexes[dropped]);
            if (end > timeMs) {
                break;
            }
            Bucket first = buckets[dropped];
            bytes -= first.bytes();
            coveredFromMs = Math.max(coveredFromMs, end);
            if (first == last) {
                last = null;
                lastBucket = Long.MIN_VALUE;
            }
            dropped++;
        }
        if (dropped > 0) {
            System.arraycopy(indexes, dropped, indexes, 0, count - dropped);
            System.arraycopy(buckets, dropped, buckets, 0, count - dropped);
            Arrays.fill(buckets, count - dropped, count, null);
            count -= dropped;
        }
        oldestEndMs = count == 0 ? Long.MAX_VALUE : endOf(indexes[0]);
    }

    private void insert(int at, long index, Bucket bucket) {
        if (count == indexes.length) {
            indexes = Arrays.copyOf(indexes, count * 2);
            buckets = Arrays.copyOf(buckets, count * 2);
        }
        System.arraycopy(indexes, at, indexes, at + 1, count - at);
        System.arraycopy(buckets, at, buckets, at + 1, count - at);
        indexes[at] = index;
        buckets[at] = bucket;
        count++;
    }

    /** Heap held by the filters' bit arrays. */
    public long sizeBytes() {
        return bytes;
    }

    private long endOf(long index) {
        long start = index * bucketMs;
        return start > Long.MAX_VALUE - bucketMs ? Long.MAX_VALUE : start + bucketMs;
    }

    /** A new bucket starts as large as the largest one held, so steady traffic needs one filter per bucket. */
    private int sizeHint() {
        long largest = MIN_CAPACITY;
        for (int i = 0; i < count; i++) {
            largest = Math.max(largest, buckets[i].count);
        }
        return (int) Math.min(largest, MAX_CAPACITY);
    }

    /** String's hash spread over 64 bits (MurmurHash3's finaliser): the block and bit choices need all of them. */
    static long hash(String id) {
        long h = id.hashCode() * 0x9E3779B97F4A7C15L ^ id.length();
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** The filters of one bucket, oldest first; ids are added to the last. */
    private static final class Bucket {
        private Bloom[] filters;
        private long count;

        Bucket(int capacity) {
            filters = new Bloom[] {new Bloom(capacity, BITS_PER_ID)};
        }

        /** Adds and answers the heap it took (a new filter's size, or 0). */
        long add(long h) {
            Bloom current = filters[filters.length - 1];
            long grown = 0;
            if (current.count >= current.capacity) {
                Bloom[] more = java.util.Arrays.copyOf(filters, filters.length + 1);
                current = new Bloom((int) Math.min((long) current.capacity * GROWTH, MAX_CAPACITY),
                        Math.min(current.bitsPerId + EXTRA_BITS_PER_GROWTH, MAX_BITS_PER_ID));
                more[filters.length] = current;
                filters = more;
                grown = current.bytes();
            }
            current.add(h);
            count++;
            return grown;
        }

        boolean mightContain(long h) {
            for (Bloom filter : filters) {
                if (filter.mightContain(h)) {
                    return true;
                }
            }
            return false;
        }

        long bytes() {
            long sum = 0;
            for (Bloom filter : filters) {
                sum += filter.bytes();
            }
            return sum;
        }
    }

    /**
     * A blocked Bloom filter: an id sets {@value #PROBES} bits inside one 512-bit block (one cache line), chosen by the
     * high half of its hash; the bits by 9-bit slices of a second mix.
     */
    private static final class Bloom {
        private static final int PROBES = 6;
        private static final int WORDS_PER_BLOCK = 8;
        private final long[] words;
        private final long blocks;
        final int capacity;
        final int bitsPerId;
        int count;

        Bloom(int capacity, int bitsPerId) {
            this.capacity = capacity;
            this.bitsPerId = bitsPerId;
            this.blocks = Math.max(1, ((long) capacity * bitsPerId + 511) / 512);
            this.words = new long[(int) (blocks * WORDS_PER_BLOCK)];
        }

        void add(long h) {
            int base = base(h);
            long bits = h * 0x9E3779B97F4A7C15L;
            for (int i = 0; i < PROBES; i++) {
                int bit = (int) (bits >>> (i * 9)) & 511;
                words[base + (bit >>> 6)] |= 1L << bit;
            }
            count++;
        }

        boolean mightContain(long h) {
            int base = base(h);
            long bits = h * 0x9E3779B97F4A7C15L;
            for (int i = 0; i < PROBES; i++) {
                int bit = (int) (bits >>> (i * 9)) & 511;
                if ((words[base + (bit >>> 6)] & (1L << bit)) == 0) {
                    return false;
                }
            }
            return true;
        }

        private int base(long h) {
            return (int) (((h >>> 32) * blocks) >>> 32) * WORDS_PER_BLOCK;
        }

        long bytes() {
            return (long) words.length * Long.BYTES;
        }
    }
}
