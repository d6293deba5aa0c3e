package io.streamfleet.gateway.http;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Probes on a real Netty event loop: a loop kept busy shows its lag to other threads, and recovers. */
class EventLoopLagProbesTest {

    private final EventLoop loop = new DefaultEventLoop();
    private final EventLoopLagProbes probes = new EventLoopLagProbes(Duration.ofMillis(5));

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void shouldShowABusyLoopsLagWhileItIsBusyAndForgetItAfterwards() throws Exception {
        assertThat(probes.behindNanos(loop)).as("a new probe starts without lag").isLessThan(millis(100));
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            busy.countDown();
            waitFor(release);
        });
        busy.await();
        Thread.sleep(400);

        assertThat(probes.behindNanos(loop)).as("the loop has been busy for 400 ms").isGreaterThan(millis(300));
        assertThat(probes.maxBehindMillis()).isGreaterThan(300);

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(probes.behindNanos(loop)).isLessThan(millis(200)));
    }

    @Test
    void shouldReportNoLagForAnExecutorThatIsNoEventLoop() {
        assertThat(probes.behindNanos(Runnable::run)).isZero();
        assertThat(probes.maxBehindMillis()).isZero();
    }

    @Test
    void shouldRefuseANonPositiveInterval() {
        assertThatThrownBy(() -> new EventLoopLagProbes(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interval");
    }

    private static long millis(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
