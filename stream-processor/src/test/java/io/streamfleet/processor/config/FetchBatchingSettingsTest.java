package io.streamfleet.processor.config;

import io.streamfleet.support.kafka.KafkaClients;
import io.streamfleet.support.streams.StreamsConfigFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The raw topics get a small produce request every millisecond or two; the main consumer waits for a batch instead of
 * ending a fetch on each (docs/stream-processor.md, Operations). Only the main consumer: restores keep their own wait.
 */
class FetchBatchingSettingsTest {

    private static Map<String, Object> mainConsumerConfigs(StreamsConfig config) {
        return config.getMainConsumerConfigs("streamfleet-stream-processor", "client-1", 0);
    }

    private static StreamsConfig serviceConfig() throws Exception {
        return new StreamsConfig(StreamsConfigFactory.create(KafkaClients.forBootstrapServers("unused:9092"),
                ServiceStreamsSettings.fromApplicationYaml()));
    }

    @Test
    void shouldHoldMainConsumerFetchesFor64KibOr10MsWhenApplicationYamlIsBound() throws Exception {
        Map<String, Object> main = mainConsumerConfigs(serviceConfig());

        assertThat(main.get(ConsumerConfig.FETCH_MIN_BYTES_CONFIG)).hasToString("65536");
        assertThat(main.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).hasToString("10");
    }

    @Test
    void shouldLeaveTheRestoreConsumersShortWaitAloneWhenApplicationYamlIsBound() throws Exception {
        Map<String, Object> restore = serviceConfig().getRestoreConsumerConfigs("client-1");

        assertThat(restore.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).hasToString("20");
        assertThat(restore).doesNotContainKey(ConsumerConfig.FETCH_MIN_BYTES_CONFIG);
    }
}
