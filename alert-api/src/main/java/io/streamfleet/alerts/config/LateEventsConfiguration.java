package io.streamfleet.alerts.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.alerts.intake.LateIntake;
import io.streamfleet.alerts.intake.TopicTail;
import io.streamfleet.alerts.late.LateEventGauges;
import io.streamfleet.alerts.late.LateTopics;
import io.streamfleet.alerts.late.board.LateEventBoard;
import io.streamfleet.support.kafka.KafkaClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Which keys' events came too late: every instance tails all partitions of the late topics (no consumer group, so
 * each sees every late record) from their end at start into a bounded board, served by {@code /v1/late-events} and a
 * top-N gauge.
 */
@Configuration(proxyBeanMethods = false)
class LateEventsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LateEventsConfiguration.class);

    @Bean
    LateTopics lateTopics(AlertApiProperties properties) {
        return new LateTopics(properties.lateEvents().topics());
    }

    @Bean
    LateEventBoard lateEventBoard(AlertApiProperties properties) {
        AlertApiProperties.LateEvents late = properties.lateEvents();
        return new LateEventBoard(late.horizon().toMillis(), late.maxKeys());
    }

    @Bean
    LateEventGauges lateEventGauges(AlertApiProperties properties, LateEventBoard board, MeterRegistry registry) {
        return new LateEventGauges(board, properties.lateEvents().gaugeTopKeys(), registry);
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService lateEventsRefresher(AlertApiProperties properties, LateEventGauges gauges) {
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "late-events-refresh");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(100, properties.lateEvents().gaugeRefresh().toMillis());
        refresher.scheduleWithFixedDelay(() -> {
            try {
                gauges.refresh(System.currentTimeMillis());
            } catch (RuntimeException e) {
                // a task that throws is never run again: log and try on the next tick instead
                log.error("Refreshing the late-events gauges failed", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return refresher;
    }

    @Bean(destroyMethod = "close")
    TopicTail lateTail(LateTopics topics, KafkaClients clients, LateEventBoard board, MeterRegistry registry) {
        TopicTail tail = new TopicTail("late", clients, topics.names(), TopicTail.FROM_END,
                new LateIntake(board, topics.names(), registry, System::currentTimeMillis));
        tail.start();
        return tail;
    }
}
