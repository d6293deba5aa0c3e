package io.streamfleet.support.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real admin client against a loopback port where nothing answers, so every probe ends in the client's own timeout
 * unless the caller is interrupted first.
 */
class KafkaClusterHealthTest {

    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(1_500);

    private Admin admin;

    @AfterEach
    void closeAdmin() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }

    @Test
    void shouldNotCacheAnInterruptedProbeSoTheNextCallAsksKafkaAgain() throws Exception {
        KafkaClusterHealth health = new KafkaClusterHealth(admin(), PROBE_TIMEOUT, Duration.ofMinutes(1));

        Health interrupted = probeInterruptedAfter(health, 200);
        Health next = health.health();

        assertThat(interrupted.getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(interrupted.getDetails().get("error")).asString().contains("interrupted");
        assertThat(next.getStatus()).isEqualTo(Status.DOWN);
        assertThat(next.getDetails().get("error")).asString().startsWith("Kafka did not answer within 1500 ms");
    }

    @Test
    void shouldKeepTheLastRealAnswerWhenALaterProbeIsInterrupted() throws Exception {
        KafkaClusterHealth health = new KafkaClusterHealth(admin(), PROBE_TIMEOUT, Duration.ZERO);
        Health real = health.health();

        Health interrupted = probeInterruptedAfter(health, 200);

        assertThat(real.getStatus()).isEqualTo(Status.DOWN);
        assertThat(interrupted).isSameAs(real);
    }

    private static Health probeInterruptedAfter(KafkaClusterHealth health, long millis) throws Exception {
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<Health> answer = CompletableFuture.supplyAsync(() -> {
            caller.set(Thread.currentThread());
            return health.health();
        }, runnable -> new Thread(runnable, "health-probe").start());
        Thread.sleep(millis);
        caller.get().interrupt();
        return answer.get();
    }

    private Admin admin() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
        return admin;
    }
}
