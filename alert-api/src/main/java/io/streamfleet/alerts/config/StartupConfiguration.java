package io.streamfleet.alerts.config;

import io.streamfleet.alerts.intake.TopicTail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;

/**
 * Holds start-up (before the HTTP server opens) until every in-memory view has read its topic, bounded by
 * {@code streamfleet.alerts.startup-wait}; after that the service starts anyway and readiness reports the intake. On
 * shutdown the views stop together, once the web server has stopped.
 */
@Configuration(proxyBeanMethods = false)
class StartupConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StartupConfiguration.class);

    @Bean
    SmartInitializingSingleton awaitTopicViews(List<TopicTail> tails, AlertApiProperties properties) {
        return () -> {
            long deadline = System.nanoTime() + properties.startupWait().toNanos();
            try {
                for (TopicTail tail : tails) {
                    long left = Math.max(0, deadline - System.nanoTime());
                    if (!tail.awaitCaughtUp(Duration.ofNanos(left))) {
                        log.warn("a topic view is still loading after {}; starting anyway", properties.startupWait());
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /**
     * Stops every tail at once and then waits for them (each close waits for its fetch in flight), instead of one
     * after the other as their beans are destroyed. Phase 0: after the web server, so requests finishing during the
     * graceful shutdown still see the views.
     */
    @Bean
    SmartLifecycle stopTopicViews(List<TopicTail> tails) {
        return ShutdownStep.atPhase(0, () -> {
            tails.forEach(TopicTail::stop);
            for (TopicTail tail : tails) {
                tail.close();
            }
        });
    }
}
