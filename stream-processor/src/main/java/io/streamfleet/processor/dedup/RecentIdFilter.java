package io.streamfleet.processor.dedup;

import java.util.Map;
import java.util.TreeMap;

/**
 * An exact "certainly never seen" answer in front of the dedup id store, so that a new id (almost every event) costs no
 * store lookup. Ids are remembered by time bucket in Bloom filters: {@link #mightContain} may say yes for an id never
 * added (then the store decides), but never says no for an id added at a time inside the asked range. Once buckets are
 * forgotten ({@link #forgetBefore}), a range reaching below them is answered yes, so the store decides there too.
 * <p>
 * Exactness therefore rests on one rule for the caller: every id of the store (at a time not yet forgotten) was
 * {@link #add added} — the filter is filled from the whole store when a task starts and with every id put after that.
 * <p>
 * Each bucket grows by adding a filter of twice the capacity when the last one is full (a scalable Bloom filter), so the
 * false-positive rate stays near {@value #BITS_PER_ID} bits per id's ≈ 1 % whatever the rate. Not thread-safe: one per
 * stream task.
 */
public final class RecentIdFilter {

    static final int BITS_PER_ID = 10;
    static final int MIN_CAPACITY = 1 << 12;
    private static final int MAX_CAPACITY = 1 << 26;

    private final long bucketMs;
    private final TreeMap<Long, Bucket> buckets = new TreeMap<>();
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
            bucket = buckets.get(index);
            if (bucket == null) {
                bucket = new Bucket(sizeHint());
                bytes += bucket.bytes();
                buckets.put(index, bucket);
                oldestEndMs = endOf(buckets.firstKey());
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
        long h = hash(id);
        for (Bucket bucket : buckets.subMap(Math.floorDiv(fromMs, bucketMs), true, Math.floorDiv(toMs, bucketMs), true)
                .values()) {
            if (bucket.mightContain(h)) {
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
        while (!buckets.isEmpty()) {
            Map.Entry<Long, Bucket> first = buckets.firstEntry();
            long end = endOf(first.getKey());
            if (end > timeMs) {
                break;
            }
            buckets.pollFirstEntry();
            bytes -= first.getValue().bytes();
            coveredFromMs = Math.max(coveredFromMs, end);
            if (first.getValue() == last) {
                last = null;
                lastBucket = Long.MIN_VALUE;
            }
        }
        oldestEndMs = buckets.isEmpty() ? Long.MAX_VALUE : endOf(buckets.firstKey());
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
        for (Bucket bucket : buckets.values()) {
            largest = Math.max(largest, bucket.count);
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
            filters = new Bloom[] {new Bloom(capacity)};
        }

        /** Adds and answers the heap it took (a new filter's size, or 0). */
        long add(long h) {
            Bloom current = filters[filters.length - 1];
            long grown = 0;
            if (current.count >= current.capacity) {
                Bloom[] more = java.util.Arrays.copyOf(filters, filters.length + 1);
                current = new Bloom((int) Math.min((long) current.capacity * 2, MAX_CAPACITY));
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
        int count;

        Bloom(int capacity) {
            this.capacity = capacity;
            this.blocks = Math.max(1, ((long) capacity * BITS_PER_ID + 511) / 512);
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
