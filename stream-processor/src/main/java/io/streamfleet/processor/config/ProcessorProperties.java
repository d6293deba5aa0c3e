package io.streamfleet.processor.config;

import io.streamfleet.processor.stats.WindowSpec;
import io.streamfleet.processor.topology.ProcessorTopology;
import io.streamfleet.support.progress.ProgressRules;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * {@code streamfleet.processor.*}: dedup, lateness, windowed stats and interactive queries (defaults in docs/stream-processor.md).
 * Invalid combinations fail start-up with a message naming the setting.
 *
 * @param ordersRawTopic          raw orders (input)
 * @param ordersCleanTopic        deduplicated, in-time orders
 * @param ordersLateTopic         orders behind the watermark
 * @param ordersStatsTopic        closed window stats
 * @param engagementRawTopic      raw engagement events (input)
 * @param engagementCleanTopic    deduplicated, in-time engagement events
 * @param engagementLateTopic     engagement events behind the watermark
 * @param dedupRetention          how long (event time) an eventId is remembered
 * @param ordersLateness          allowed lateness of orders
 * @param engagementLateness      allowed lateness of engagement events
 * @param statsGrace              how long after its end a window accepts events; at least orders-lateness
 * @param tumblingSize            tumbling window size
 * @param hoppingSize             hopping window size (need not be a multiple of the advance)
 * @param hoppingAdvance          hopping window advance; windows are merged from panes of gcd(size, advance), at
 *                                most 1 000 per window
 * @param priceTick               tick size for distinct price levels
 * @param queryRetention          how long (event time) closed windows stay queryable
 * @param idleTimeout             gateway-clock silence (read from progress records) after which a partition's stream
 *                                time advances by the gateway-clock time elapsed
 * @param gatewaySilenceTimeout   a gateway instance whose progress records trail the others' by more than this stops
 *                                holding time back (it crashed without its leaving record)
 * @param punctuationInterval     how often stream time and store sizes are reported as metrics
 * @param topLastMinute           what "the last minute" of the top-N query spans
 * @param queryForwardTimeout     timeout of a query forwarded to another instance
 */
@ConfigurationProperties("streamfleet.processor")
public record ProcessorProperties(
        @DefaultValue("orders.raw") String ordersRawTopic,
        @DefaultValue("orders.clean") String ordersCleanTopic,
        @DefaultValue("orders.late") String ordersLateTopic,
        @DefaultValue("orders.stats") String ordersStatsTopic,
        @DefaultValue("engagement.raw") String engagementRawTopic,
        @DefaultValue("engagement.clean") String engagementCleanTopic,
        @DefaultValue("engagement.late") String engagementLateTopic,
        @DefaultValue("10m") Duration dedupRetention,
        @DefaultValue("3s") Duration ordersLateness,
        @DefaultValue("120s") Duration engagementLateness,
        @DefaultValue("3s") Duration statsGrace,
        @DefaultValue("1s") Duration tumblingSize,
        @DefaultValue("1m") Duration hoppingSize,
        @DefaultValue("10s") Duration hoppingAdvance,
        @DefaultValue("0.01") BigDecimal priceTick,
        @DefaultValue("10m") Duration queryRetention,
        @DefaultValue("1s") Duration idleTimeout,
        @DefaultValue("10s") Duration gatewaySilenceTimeout,
        @DefaultValue("100ms") Duration punctuationInterval,
        @DefaultValue("1m") Duration topLastMinute,
        @DefaultValue("2s") Duration queryForwardTimeout) {

    public ProcessorTopology.Settings topologySettings() {
        var topics = new ProcessorTopology.TopicNames(ordersRawTopic, ordersCleanTopic, ordersLateTopic,
                ordersStatsTopic, engagementRawTopic, engagementCleanTopic, engagementLateTopic);
        return new ProcessorTopology.Settings(topics, dedupRetention, ordersLateness, engagementLateness, statsGrace,
                WindowSpec.tumbling(tumblingSize), WindowSpec.hopping(hoppingSize, hoppingAdvance), priceTick,
                queryRetention, new ProgressRules(idleTimeout, gatewaySilenceTimeout), punctuationInterval, true);
    }
}
