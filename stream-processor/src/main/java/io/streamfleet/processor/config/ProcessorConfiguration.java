package io.streamfleet.processor.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.processor.query.LocalStatsReader;
import io.streamfleet.processor.query.StatsQueryService;
import io.streamfleet.processor.topology.ClosedWindowWatermarks;
import io.streamfleet.processor.topology.ProcessorMetrics;
import io.streamfleet.processor.topology.ProcessorStores;
import io.streamfleet.processor.topology.ProcessorTopology;
import io.streamfleet.support.query.InteractiveQueries;
import io.streamfleet.support.streams.ManagedKafkaStreams;
import org.apache.kafka.streams.Topology;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import java.util.List;

/** Builds the topology from {@link ProcessorProperties} (service-support runs it under exactly-once) and the queries. */
@Configuration(proxyBeanMethods = false)
class ProcessorConfiguration {

    @Bean
    ProcessorTopology.Settings processorSettings(ProcessorProperties properties) {
        return properties.topologySettings();
    }

    @Bean
    ProcessorMetrics streamProcessorMetrics(MeterRegistry registry, ProcessorTopology.Settings settings) {
        return new ProcessorMetrics(registry, settings.topics().inputs(), ProcessorTopology.windowFamilies(settings),
                ProcessorStores.names());
    }

    @Bean
    ClosedWindowWatermarks closedWindowWatermarks() {
        return new ClosedWindowWatermarks();
    }

    @Bean
    Topology processorTopology(ProcessorTopology.Settings settings, ProcessorMetrics metrics,
                               ClosedWindowWatermarks watermarks) {
        return ProcessorTopology.build(settings, metrics, watermarks);
    }

    @Bean
    StatsQueryService statsQueryService(ManagedKafkaStreams streams, ClosedWindowWatermarks watermarks,
                                        ProcessorTopology.Settings settings, ProcessorProperties properties) {
        var tumbling = new StatsQueryService.Family(settings.tumbling().name(), ProcessorStores.STATS_CLOSED_TUMBLING,
                settings.tumbling().sizeMs());
        var hopping = new StatsQueryService.Family(settings.hopping().name(), ProcessorStores.STATS_CLOSED_HOPPING,
                settings.hopping().sizeMs());
        var queries = new InteractiveQueries(streams, WebClient.create(), properties.queryForwardTimeout());
        return new StatsQueryService(queries, new LocalStatsReader(watermarks, hopping.window()),
                List.of(tumbling, hopping), hopping, properties.topLastMinute().toMillis());
    }
}
