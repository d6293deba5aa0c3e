package io.streamfleet.support.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reports whether the Kafka cluster answers (for services that are plain clients, not Kafka Streams apps). The
 * answer is cached briefly so frequent probes do not turn into a metadata request each.
 */
public class KafkaClusterHealth implements HealthIndicator, DisposableBean {

    private final Admin admin;
    private final Duration timeout;
    private final Duration cacheFor;
    private volatile Health last;
    private volatile long lastAtNanos;

    public KafkaClusterHealth(Admin admin, Duration timeout, Duration cacheFor) {
        this.admin = admin;
        this.timeout = timeout;
        this.cacheFor = cacheFor;
    }

    @Override
    public Health health() {
        Health cached = last;
        if (cached != null && System.nanoTime() - lastAtNanos < cacheFor.toNanos()) {
            return cached;
        }
        Health fresh = probe();
        last = fresh;
        lastAtNanos = System.nanoTime();
        return fresh;
    }

    private Health probe() {
        try {
            DescribeClusterResult cluster = admin.describeCluster(
                    new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
            int nodes = cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            String clusterId = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Health.up().withDetail("clusterId", clusterId).withDetail("nodes", nodes).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down(e).build();
        } catch (Exception e) {
            return Health.down().withDetail("error", "Kafka did not answer within " + timeout.toMillis() + " ms: "
                    + e.getClass().getSimpleName()).build();
        }
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(2));
    }
}
