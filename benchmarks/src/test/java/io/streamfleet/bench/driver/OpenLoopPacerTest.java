package io.streamfleet.bench.driver;

import io.streamfleet.bench.cli.TrivialIngestServer;
import io.streamfleet.bench.report.Percentiles;
import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.EventTag;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * The open loop's pacing and latency accounting on a clock the test moves: requests leave at their intended time and
 * never before, a late wake-up sends everything overdue at once, the in-flight cap delays without dropping, and
 * latency is counted from the intended time while service time starts at the hand-over.
 */
class OpenLoopPacerTest {

    private static final long MS = 1_000_000L;

    /** A clock and a single-threaded timer queue that jumps the clock to each task's due time. */
    private static final class ManualLoop implements OpenLoopPacer.Scheduler {
        final AtomicLong now = new AtomicLong(1_000 * MS);
        final List<Long> delays = new ArrayList<>();
        private final PriorityQueue<long[]> due = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        private final List<Runnable> tasks = new ArrayList<>();
        /** Extra time every wake-up comes late by (a busy event loop). */
        long lateBy;

        @Override
        public void schedule(Runnable task, long delayNanos) {
            delays.add(delayNanos);
            tasks.add(task);
            due.add(new long[] {now.get() + delayNanos + lateBy, tasks.size() - 1});
        }

        void runAll() {
            long[] next;
            while ((next = due.poll()) != null) {
                now.accumulateAndGet(next[0], Math::max);
                tasks.get((int) next[1]).run();
            }
        }
    }

    /** Keeps every request's future so the test decides when (on its clock) the answer arrives. */
    private static class HeldTransport implements Transport {
        final List<Long> sentAt = new ArrayList<>();
        final List<CompletableFuture<SendResult>> answers = new ArrayList<>();
        private final AtomicLong clock;

        HeldTransport(AtomicLong clock) {
            this.clock = clock;
        }

        @Override
        public int batchSize() {
            return 1;
        }

        @Override
        public CompletableFuture<SendResult> send(List<BenchEvent> events) {
            sentAt.add(clock.get());
            CompletableFuture<SendResult> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        void answerAll() {
            answers.forEach(a -> a.complete(new SendResult(1, 1, "202")));
        }

        @Override
        public void close() {
        }
    }

    private static List<BenchEvent> everyMs(int count, long gapMs) {
        List<BenchEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            OrderEvent e = new OrderEvent("e-" + i, "acct", "AAPL", OrderEventType.CREATED, "o-" + i, Side.BUY,
                    101.25, 10, 1_790_000_000_000L + i);
            events.add(BenchEvent.order(i * gapMs * MS, e, EventTag.NOISE, null));
        }
        return events;
    }

    @Test
    void shouldSendEachRequestAtItsIntendedTimeAndNeverBefore() {
        ManualLoop loop = new ManualLoop();
        HeldTransport transport = new HeldTransport(loop.now);
        LoadStats stats = new LoadStats();
        LoadRunner runner = new LoadRunner(transport, stats, 100, loop.now::get);
        long start = loop.now.get() + 5 * MS;
        OpenLoopPacer pacer = runner.pacer(everyMs(10, 2).iterator(), start, () -> false, loop);

        pacer.run();
        loop.runAll();

        assertThat(transport.sentAt).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(transport.sentAt.get(i)).isEqualTo(start + i * 2 * MS);
        }
        assertThat(loop.delays).as("one wake-up per due time, none spinning").hasSize(10)
                .allMatch(d -> d > 0 && d <= 5 * MS);
        assertThat(pacer.finished().getCount()).isZero();
    }

    @Test
    void shouldSendEverythingOverdueAtOnceAndCountTheDelayFromTheIntendedTime() {
        ManualLoop loop = new ManualLoop();
        loop.lateBy = 30 * MS;
        HeldTransport transport = new HeldTransport(loop.now);
        LoadStats stats = new LoadStats();
        LoadRunner runner = new LoadRunner(transport, stats, 100, loop.now::get);
        long start = loop.now.get() + 1 * MS;
        OpenLoopPacer pacer = runner.pacer(everyMs(20, 1).iterator(), start, () -> false, loop);

        pacer.run();
        loop.runAll();
        long answeredAt = loop.now.addAndGet(2 * MS);
        transport.answerAll();

        // the first wake-up came 30 ms late: requests 0..19 (due at +0..+19 ms) all went out in that one wake-up
        assertThat(transport.sentAt).hasSize(20).containsOnly(start + 30 * MS);
        assertThat(loop.delays).hasSize(1);
        Percentiles latency = Percentiles.of(stats.intervalLatency());
        Percentiles lag = Percentiles.of(stats.intervalSendLag());
        Percentiles service = Percentiles.of(stats.intervalServiceTime());
        assertThat(latency.maxMs()).as("request 0: due at start, answered 32 ms later")
                .isCloseTo(TimeUnit.NANOSECONDS.toMillis(answeredAt - start), offset(0.1));
        assertThat(lag.maxMs()).isCloseTo(30, offset(0.1));
        assertThat(service.maxMs()).as("hand-over to answer only").isCloseTo(2, offset(0.1));
        assertThat(stats.requests()).isEqualTo(20);
    }

    @Test
    void shouldHoldDueRequestsAtTheInFlightCapAndCountTheWaitAsLatency() {
        ManualLoop loop = new ManualLoop();
        HeldTransport transport = new HeldTransport(loop.now);
        LoadStats stats = new LoadStats();
        LoadRunner runner = new LoadRunner(transport, stats, 2, loop.now::get);
        long start = loop.now.get();
        OpenLoopPacer pacer = runner.pacer(everyMs(3, 0).iterator(), start, () -> false, loop);

        pacer.run();
        assertThat(transport.sentAt).as("two slots, three due requests").hasSize(2);
        assertThat(loop.delays).containsExactly(OpenLoopPacer.CAP_RETRY_NANOS);

        loop.now.addAndGet(5 * MS);
        transport.answers.get(0).complete(new SendResult(1, 1, "202"));
        loop.runAll();
        assertThat(transport.sentAt).hasSize(3);
        assertThat(transport.sentAt.get(2)).as("sent once a slot came free").isGreaterThanOrEqualTo(start + 5 * MS);
        transport.answers.get(1).complete(new SendResult(1, 1, "202"));
        transport.answers.get(2).complete(new SendResult(1, 1, "202"));

        assertThat(Percentiles.of(stats.intervalSendLag()).maxMs()).as("the third waited at the cap")
                .isGreaterThanOrEqualTo(5);
        assertThat(stats.acceptedEvents()).isEqualTo(3);
        assertThat(pacer.finished().getCount()).isZero();
    }

    @Test
    void shouldCountTheTransportsBodyBuildingAsDriverLagNotServiceTime() {
        ManualLoop loop = new ManualLoop();
        HeldTransport transport = new HeldTransport(loop.now) {
            @Override
            public CompletableFuture<SendResult> send(List<BenchEvent> events) {
                loop.now.addAndGet(3 * MS); // serialising the body
                return super.send(events);
            }
        };
        LoadStats stats = new LoadStats();
        LoadRunner runner = new LoadRunner(transport, stats, 100, loop.now::get);
        OpenLoopPacer pacer = runner.pacer(everyMs(1, 0).iterator(), loop.now.get(), () -> false, loop);

        pacer.run();
        loop.now.addAndGet(2 * MS);
        transport.answerAll();

        assertThat(Percentiles.of(stats.intervalLatency()).maxMs()).isCloseTo(5, offset(0.1));
        assertThat(Percentiles.of(stats.intervalSendLag()).maxMs()).isCloseTo(3, offset(0.1));
        assertThat(Percentiles.of(stats.intervalServiceTime()).maxMs()).isCloseTo(2, offset(0.1));
    }

    @Test
    void shouldStopSendingWhenToldEvenWithEventsLeft() {
        ManualLoop loop = new ManualLoop();
        HeldTransport transport = new HeldTransport(loop.now);
        LoadRunner runner = new LoadRunner(transport, new LoadStats(), 100, loop.now::get);
        long start = loop.now.get();
        long stopAt = start + 10 * MS;
        OpenLoopPacer pacer = runner.pacer(everyMs(1_000, 1).iterator(), start, () -> loop.now.get() >= stopAt, loop);

        pacer.run();
        loop.runAll();

        assertThat(transport.sentAt).hasSize(10);
        assertThat(pacer.finished().getCount()).isZero();
    }

    @Test
    void shouldRunTheScheduleOnTheHttpClientsEventLoop() {
        try (TrivialIngestServer endpoint = new TrivialIngestServer(0);
             HttpTransport transport = HttpTransport.single("http://127.0.0.1:" + endpoint.port(), "k1",
                     Duration.ofSeconds(10))) {
            List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
            OpenLoopPacer.Scheduler onLoop = (task, delay) -> transport.pacingLoop().orElseThrow()
                    .schedule(() -> {
                        threads.add(Thread.currentThread().getName());
                        task.run();
                    }, delay, TimeUnit.NANOSECONDS);
            LoadStats stats = new LoadStats();
            LoadRunner runner = new LoadRunner(transport, stats, 100);
            OpenLoopPacer pacer = runner.pacer(everyMs(20, 2).iterator(), System.nanoTime(), () -> false, onLoop);
            onLoop.schedule(pacer, 0);
            assertThat(pacer.finished().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(threads).isNotEmpty().allMatch(name -> name.startsWith("fleet-bench-http"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (stats.requests() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(stats.outcomes()).containsEntry("202", 20L);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
