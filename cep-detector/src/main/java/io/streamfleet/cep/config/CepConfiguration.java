package io.streamfleet.cep.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.cep.operator.CepMetrics;
import io.streamfleet.cep.topology.CepTopology;
import org.apache.kafka.streams.Topology;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the detector topology from {@link CepProperties}; service-support runs it under exactly-once. */
@Configuration(proxyBeanMethods = false)
class CepConfiguration {

    @Bean
    CepMetrics cepMetrics(MeterRegistry registry, CepProperties properties) {
        return new CepMetrics(registry, properties.inputTopic());
    }

    @Bean
    Topology cepTopology(CepProperties properties, CepMetrics metrics) {
        return CepTopology.build(properties.topologySettings(), properties.detectorSettings(), metrics);
    }
}
