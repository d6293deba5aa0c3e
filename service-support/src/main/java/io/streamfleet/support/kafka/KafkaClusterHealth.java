package io.streamfleet.support.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Reports whether the Kafka cluster answers (for services that are plain clients, not Kafka Streams apps). The
 * answer is cached briefly so frequent probes do not turn into a metadata request each. A refused login or TLS
 * handshake is named as such (and logged when it starts), since it never cures itself by waiting.
 */
public class KafkaClusterHealth implements HealthIndicator, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(KafkaClusterHealth.class);

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
        if (fresh == null) {
            // the caller gave up (a health request's timeout cancels the blocking call): that says nothing about
            // Kafka, so it must neither be cached nor hide the last real answer, e.g. a refused login
            return cached != null ? cached
                    : Health.unknown().withDetail("error", "health probe interrupted before Kafka answered").build();
        }
        Object error = fresh.getDetails().get("error");
        if (error != null && (cached == null || !error.equals(cached.getDetails().get("error")))) {
            log.error("Kafka health DOWN: {}", error);
        } else if (error == null && cached != null && cached.getDetails().get("error") != null) {
            log.info("Kafka health UP again: {}", fresh.getDetails());
        }
        last = fresh;
        lastAtNanos = System.nanoTime();
        return fresh;
    }

    /** The cluster's answer, or null when the calling thread was interrupted while waiting for it. */
    private Health probe() {
        try {
            DescribeClusterResult cluster = admin.describeCluster(
                    new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
            int nodes = cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            String clusterId = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Health.up().withDetail("clusterId", clusterId).withDetail("nodes", nodes).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return Health.down().withDetail("error", describe(e.getCause())).build();
        } catch (Exception e) {
            return Health.down().withDetail("error", describe(e)).build();
        }
    }

    private String describe(Throwable error) {
        if (error instanceof AuthenticationException) {
            return "Kafka refused this client's authentication (check spring.kafka.security.protocol, "
                    + "spring.kafka.properties.sasl.* and the TLS trust store): " + error.getMessage();
        }
        if (error instanceof AuthorizationException) {
            return "Kafka denied this client access: " + error.getMessage();
        }
        return "Kafka did not answer within " + timeout.toMillis() + " ms: " + error.getClass().getSimpleName();
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(2));
    }
}
