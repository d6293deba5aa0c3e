package io.streamfleet.cep.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.cep.operator.CepMetrics;
import io.streamfleet.cep.topology.CepTopology;
import io.streamfleet.support.streams.ManagedKafkaStreams;
import io.streamfleet.support.streams.InputLogWatch;
import io.streamfleet.support.streams.StreamsLagBacklogProbe;
import io.streamfleet.support.streams.UpstreamProgress;
import org.apache.kafka.streams.Topology;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the detector topology from {@link CepProperties}; service-support runs it under exactly-once. */
@Configuration(proxyBeanMethods = false)
class CepConfiguration {

    @Bean
    CepMetrics cepMetrics(MeterRegistry registry) {
        return new CepMetrics(registry);
    }

    @Bean
    Topology cepTopology(CepProperties properties, CepMetrics metrics, ObjectProvider<ManagedKafkaStreams> streams,
                             ObjectProvider<UpstreamProgress> upstream,
                             ObjectProvider<InputLogWatch> inputWatch) {
        return CepTopology.build(properties.topologySettings(), properties.detectorSettings(), metrics,
                new StreamsLagBacklogProbe(streams, upstream, inputWatch));
    }
}
