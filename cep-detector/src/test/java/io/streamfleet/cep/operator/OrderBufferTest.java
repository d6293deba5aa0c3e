package io.streamfleet.cep.operator;

import io.streamfleet.cep.burst.TrackedOrder;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chunked buffer against the plain model of what it must do: every accepted order comes out exactly once, in the
 * drain whose window [last drained watermark, W) holds its time, orders of a bucket in arrival order, whatever the
 * times (either sign, the extremes), the chunk size, restarts in between (a new buffer on the stored entries) and
 * entries of the layout before chunks; drained orders held until expired, and read back after a restart from where the
 * buffer is complete.
 */
class OrderBufferTest {

    private static final long T0 = 1_700_000_000_000L;
    /** Record keys as they come: the usual form, non-ASCII, a supplementary character, empty. */
    private static final List<String> KEYS = List.of("acc-1|SYM", "kunde-ä|€URO", "\uD834\uDD1E|X", "");

    /** One step of a run: accept an order, drain to a watermark, or restart. */
    private record Step(int kind, long value, int key) {
    }

    @Property(tries = 300)
    void shouldTakeEveryAcceptedOrderOnceInTheDrainWhoseWindowHoldsIt(
            @ForAll("steps") List<Step> steps, @ForAll @IntRange(min = 0, max = 600) int chunkBytes,
            @ForAll("bases") long base, @ForAll @IntRange(min = 0, max = 120) int retention) {
        KeyValueStore<Bytes, byte[]> store = store();
        OrderBuffer buffer = new OrderBuffer(store, chunkBytes);
        long drained = Long.MIN_VALUE;
        long heldFrom = Long.MIN_VALUE;
        buffer.open(drained, heldFrom);
        List<Accepted> pending = new ArrayList<>();
        List<Accepted> arrivals = new ArrayList<>();
        int sequence = 0;
        for (Step step : steps) {
            switch (step.kind()) {
                case 0 -> {
                    long time = clamp(base, step.value());
                    if (time < drained) {
                        continue; // late: the processor diverts it and never buffers it
                    }
                    String key = KEYS.get(step.key());
                    TrackedOrder order = order("e" + sequence++, time);
                    byte[] form = StateCodec.encodeOrder(order);
                    buffer.add(time, key, form);
                    pending.add(new Accepted(key, time, form));
                    arrivals.add(pending.get(pending.size() - 1));
                }
                case 1 -> {
                    long upTo = Math.max(drained, clamp(base, step.value()));
                    check(buffer.take(drained, upTo), pending, drained, upTo);
                    drained = upTo;
                    long bound = clamp(drained, -retention);
                    if (bound > heldFrom) {
                        buffer.expire(heldFrom, bound);
                        heldFrom = bound;
                    }
                }
                default -> {
                    buffer = new OrderBuffer(store, chunkBytes);
                    OrderBuffer.Opened opened = buffer.open(drained, heldFrom);
                    assertThat(opened.awaiting()).as("awaiting after a restart").isEqualTo(pending.size());
                    long from = heldFrom;
                    long to = drained;
                    assertThat(ids(opened.retained())).as("drained orders held from %d after a restart", from)
                            .isEqualTo(byBucket(arrivals.stream().filter(a -> !pending.contains(a)
                                    && a.timeMs() >= from && a.timeMs() < to)
                                    .map(a -> new Object[]{a.timeMs(), id(a)}).toList()));
                }
            }
        }
        check(buffer.take(drained, Long.MAX_VALUE), pending, drained, Long.MAX_VALUE);
        check(buffer.take(Long.MAX_VALUE, Long.MAX_VALUE), pending, Long.MAX_VALUE, Long.MAX_VALUE);
        // MAX_VALUE itself is never below a watermark: what is left has that time and nothing else
        assertThat(pending).allSatisfy(a -> assertThat(a.timeMs()).isEqualTo(Long.MAX_VALUE));
        assertThat(entries(store)).allSatisfy(e -> assertThat(e.value.length)
                .isLessThanOrEqualTo(Math.max(chunkBytes, 200)));
        buffer.expire(heldFrom, Long.MAX_VALUE);
        assertThat(entries(store)).as("after expiring everything below MAX_VALUE's bucket")
                .allSatisfy(e -> assertThat(StateCodec.bufferKeyTime(e.key.get()))
                        .isEqualTo(OrderBuffer.bucketOf(Long.MAX_VALUE)));
    }

    @Example
    void shouldKeepDrainedOrdersUntilExpiredAndThenDeleteWholeBucketsBelowTheBound() {
        KeyValueStore<Bytes, byte[]> store = store();
        OrderBuffer buffer = new OrderBuffer(store, OrderBuffer.CHUNK_BYTES);
        buffer.open(Long.MIN_VALUE, Long.MIN_VALUE);
        for (int i = 0; i < 100; i += 5) {
            buffer.add(T0 + i, "acc-1|SYM", StateCodec.encodeOrder(order("e" + i, T0 + i)));
        }
        assertThat(buffer.take(Long.MIN_VALUE, T0 + 100)).hasSize(20);
        assertThat(entries(store)).as("drained, still held: one chunk per 20 ms bucket").hasSize(5);

        assertThat(buffer.expire(Long.MIN_VALUE, T0 + 45)).as("the buckets of T0 and T0 + 20").isEqualTo(2);

        OrderBuffer.Opened opened = new OrderBuffer(store, OrderBuffer.CHUNK_BYTES).open(T0 + 100, T0 + 45);
        assertThat(opened.retained()).extracting(OrderBuffer.Taken::timeMs).as("every drained order from the bound on")
                .containsExactly(T0 + 45, T0 + 50, T0 + 55, T0 + 60, T0 + 65, T0 + 70, T0 + 75, T0 + 80, T0 + 85,
                        T0 + 90, T0 + 95);
        assertThat(entries(store)).as("the bound's bucket is kept whole").hasSize(3);
        assertThat(opened.awaiting()).isZero();
        assertThat(buffer.expire(T0 + 45, T0 + 45)).as("nothing more below the same bound").isZero();
    }

    @Example
    void shouldDrainEntriesOfTheLayoutBeforeChunksBeforeChunkedOrdersOfTheSameTime() {
        KeyValueStore<Bytes, byte[]> store = store();
        byte[] legacy = StateCodec.encodeOrder(order("old", T0 + 5));
        store.put(Bytes.wrap(StateCodec.bufferKey(T0 + 5, "acc-1|SYM", "old")), legacy);
        OrderBuffer buffer = new OrderBuffer(store, OrderBuffer.CHUNK_BYTES);
        assertThat(buffer.open(T0, T0).awaiting()).isEqualTo(1);
        byte[] fresh = StateCodec.encodeOrder(order("new", T0 + 5));
        buffer.add(T0 + 5, "acc-1|SYM", fresh);
        buffer.add(T0 + 30, "acc-1|SYM", fresh);

        List<OrderBuffer.Taken> taken = buffer.take(T0, T0 + 30);

        assertThat(taken).extracting(OrderBuffer.Taken::key, OrderBuffer.Taken::timeMs, OrderBuffer.Taken::legacy)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("acc-1|SYM", T0 + 5, true),
                        org.assertj.core.groups.Tuple.tuple("acc-1|SYM", T0 + 5, false));
        assertThat(taken).filteredOn(OrderBuffer.Taken::legacy).singleElement()
                .satisfies(t -> assertThat(t.order()).isEqualTo(legacy));
        assertThat(entries(store)).as("drained entries stay until expired").hasSize(3);
        buffer.expire(T0, T0 + 30);
        assertThat(entries(store)).as("only the chunk of T0 + 30 is left").hasSize(1);
    }

    @Example
    void shouldPutOneChunkPerBucketUntilItIsFull() {
        KeyValueStore<Bytes, byte[]> store = store();
        OrderBuffer buffer = new OrderBuffer(store, OrderBuffer.CHUNK_BYTES);
        buffer.open(Long.MIN_VALUE, Long.MIN_VALUE);
        byte[] form = StateCodec.encodeOrder(order("e1", T0));

        for (int i = 0; i < 30; i++) {
            buffer.add(T0 + i % 20, "acc-1|SYM", form);
        }
        buffer.add(T0 + 20, "acc-1|SYM", form);

        assertThat(entries(store)).as("T0 .. T0 + 19 in one chunk, T0 + 20 in the next bucket's").hasSize(2);
        for (int i = 0; i < 100; i++) {
            buffer.add(T0, "acc-1|SYM", form);
        }
        assertThat(entries(store)).as("full chunks give way to new ones").hasSizeGreaterThan(3);
        assertThat(entries(store)).allSatisfy(e -> assertThat(e.value.length)
                .isLessThanOrEqualTo(OrderBuffer.CHUNK_BYTES));
    }

    @Example
    void shouldRefuseAChunkOfAnUnknownFormat() {
        KeyValueStore<Bytes, byte[]> store = store();
        store.put(Bytes.wrap(OrderBuffer.chunkKey(T0, 0)), new byte[]{9});
        OrderBuffer buffer = new OrderBuffer(store, OrderBuffer.CHUNK_BYTES);

        assertThatThrownBy(() -> buffer.open(T0, T0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown cep-buffer chunk format 9");
    }

    @Example
    void shouldDrainAChunkOfTheFormatWithoutUsedLengthWrittenByTheVersionBefore() {
        KeyValueStore<Bytes, byte[]> store = store();
        byte[] form = StateCodec.encodeOrder(order("old", T0 + 3));
        byte[] key = "acc-1|SYM".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] chunk = java.nio.ByteBuffer.allocate(1 + 8 + 4 + key.length + 4 + form.length).put(OrderBuffer.FORMAT)
                .putLong(T0 + 3).putInt(key.length).put(key).putInt(form.length).put(form).array();
        store.put(Bytes.wrap(OrderBuffer.chunkKey(OrderBuffer.bucketOf(T0 + 3), 4)), chunk);
        OrderBuffer buffer = new OrderBuffer(store, OrderBuffer.CHUNK_BYTES);
        assertThat(buffer.open(T0, T0).awaiting()).isEqualTo(1);
        buffer.add(T0 + 4, "acc-1|SYM", form);

        assertThat(buffer.take(T0, T0 + 20)).extracting(OrderBuffer.Taken::timeMs).containsExactly(T0 + 3, T0 + 4);
        buffer.expire(T0, T0 + 20);
        assertThat(entries(store)).isEmpty();
    }

    @Example
    void shouldLeaveEveryCopyOfAPutChunkAsItWasWhenLaterOrdersAreAppendedInPlace() {
        // RocksDB and the changelog copy the value when it is put: each copy must read back as the chunk was then
        KeyValueStore<Bytes, byte[]> store = store();
        OrderBuffer buffer = new OrderBuffer(store, OrderBuffer.CHUNK_BYTES);
        buffer.open(Long.MIN_VALUE, Long.MIN_VALUE);
        Bytes chunkKey = Bytes.wrap(OrderBuffer.chunkKey(OrderBuffer.bucketOf(T0), 0));
        List<byte[]> copies = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            buffer.add(T0 + i % 20, "acc-1|SYM", StateCodec.encodeOrder(order("e" + i, T0 + i % 20)));
            copies.add(store.get(chunkKey).clone());
        }
        assertThat(store.get(chunkKey).length).as("grown by doubling, never past the chunk size")
                .isLessThanOrEqualTo(OrderBuffer.CHUNK_BYTES);

        for (int i = 0; i < copies.size(); i++) {
            KeyValueStore<Bytes, byte[]> alone = store();
            alone.put(chunkKey, copies.get(i));
            OrderBuffer reader = new OrderBuffer(alone, OrderBuffer.CHUNK_BYTES);
            assertThat(reader.open(Long.MIN_VALUE, Long.MIN_VALUE).awaiting())
                    .as("orders in the copy after append %d", i).isEqualTo(i + 1);
            assertThat(reader.take(Long.MIN_VALUE, Long.MAX_VALUE))
                    .extracting(t -> StateCodec.decodeOrder(t.order()).order().eventId())
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(0, i).mapToObj(n -> "e" + n)
                            .toList());
        }
    }

    @Property(tries = 500)
    void shouldPutEveryTimeInABucketAtOrBelowItAndAboveTheBucketBefore(@ForAll long timeMs) {
        long bucket = OrderBuffer.bucketOf(timeMs);

        assertThat(bucket).isLessThanOrEqualTo(timeMs);
        assertThat(timeMs - bucket).isBetween(0L, OrderBuffer.BUCKET_MS - 1);
        assertThat(OrderBuffer.bucketOf(bucket)).isEqualTo(bucket);
        assertThat(Bytes.wrap(OrderBuffer.chunkKey(bucket, 0)).compareTo(Bytes.wrap(OrderBuffer.lowerBound(timeMs))))
                .isGreaterThanOrEqualTo(0);
    }

    private record Accepted(String key, long timeMs, byte[] form) {
    }

    /** The taken orders are exactly the pending ones in [from, upTo), each bucket in arrival order; removes them. */
    private static void check(List<OrderBuffer.Taken> taken, List<Accepted> pending, long from, long upTo) {
        List<Accepted> due = pending.stream().filter(a -> a.timeMs() >= from && a.timeMs() < upTo).toList();
        assertThat(taken).as("drain [%d, %d)", from, upTo).hasSize(due.size());
        assertThat(taken).noneMatch(OrderBuffer.Taken::legacy);
        Map<Long, List<String>> expected = byBucket(due.stream().map(a -> new Object[]{a.timeMs(), id(a)}).toList());
        assertThat(ids(taken)).isEqualTo(expected);
        pending.removeAll(due);
    }

    private static Map<Long, List<String>> ids(List<OrderBuffer.Taken> taken) {
        return byBucket(taken.stream().map(t -> new Object[]{t.timeMs(),
                t.key() + "/" + StateCodec.decodeOrder(t.order()).order().eventId() + "/" + t.timeMs()}).toList());
    }

    private static String id(Accepted a) {
        return a.key() + "/" + StateCodec.decodeOrder(a.form()).order().eventId() + "/" + a.timeMs();
    }

    private static Map<Long, List<String>> byBucket(List<Object[]> orders) {
        Map<Long, List<String>> byBucket = new TreeMap<>();
        for (Object[] o : orders) {
            byBucket.computeIfAbsent(OrderBuffer.bucketOf((Long) o[0]), b -> new ArrayList<>()).add((String) o[1]);
        }
        return byBucket;
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 9),
                        Arbitraries.longs().between(-200, 400), Arbitraries.integers().between(0, 3))
                .as((kind, value, key) -> new Step(kind < 7 ? 0 : kind < 9 ? 1 : 2, value, key));
        return step.list().ofMaxSize(120);
    }

    @Provide
    Arbitrary<Long> bases() {
        return Arbitraries.of(T0, 0L, -7L, Long.MIN_VALUE, Long.MAX_VALUE - 300, Long.MIN_VALUE + 5);
    }

    private static long clamp(long base, long offset) {
        long sum = base + offset;
        return ((base ^ sum) & (offset ^ sum)) < 0 ? (base < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    private static TrackedOrder order(String eventId, long timeMs) {
        return new TrackedOrder(new OrderEvent(eventId, "acc-1", "SYM", OrderEventType.CREATED, null, Side.BUY, 10.0,
                1, timeMs), 7L);
    }

    @SuppressWarnings("unchecked")
    private static KeyValueStore<Bytes, byte[]> store() {
        var store = (KeyValueStore<Bytes, byte[]>) CepStores.builders(false).get(0).withLoggingDisabled()
                .withCachingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }

    private static List<KeyValue<Bytes, byte[]>> entries(KeyValueStore<Bytes, byte[]> store) {
        List<KeyValue<Bytes, byte[]>> all = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            it.forEachRemaining(all::add);
        }
        return all;
    }
}
