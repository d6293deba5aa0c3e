package io.streamfleet.support.streams;

import io.streamfleet.support.kafka.KafkaClients;
import io.streamfleet.support.rocksdb.BoundedMemoryRocksDbConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Static membership settings as Kafka Streams itself reads them: the main consumer config of a stream thread is the
 * oracle, not the keys the factory happens to write.
 */
class StreamsConfigFactoryTest {

    private static final KafkaClients CLIENTS = KafkaClients.forBootstrapServers("localhost:9092");

    private static final StreamsRuntimeProperties DYNAMIC = new StreamsRuntimeProperties("factory-test",
            "localhost:9092", "/tmp/factory-test", 2, Duration.ofMillis(100), (short) 1, 8 << 20, 2 << 20, "INFO", "",
            Duration.ofSeconds(10), Map.of());

    @Test
    void shouldGiveEveryStreamThreadItsOwnStaticIdAnd30sSessionWhenAnInstanceIdIsSet() {
        Properties props = StreamsConfigFactory.create(CLIENTS, DYNAMIC.withInstanceId("streamfleet-stream-processor-0"));

        assertThat(props).containsEntry("main.consumer.group.instance.id", "streamfleet-stream-processor-0")
                .containsEntry("main.consumer.session.timeout.ms", 30_000);
        StreamsConfig config = new StreamsConfig(props);
        Map<String, Object> thread1 = config.getMainConsumerConfigs("factory-test", "client", 1);
        Map<String, Object> thread2 = config.getMainConsumerConfigs("factory-test", "client", 2);
        assertThat(thread1).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "streamfleet-stream-processor-0-1")
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30_000);
        assertThat(thread2).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "streamfleet-stream-processor-0-2");
        assertThat(config.getRestoreConsumerConfigs("client")).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        assertThat(config.getGlobalConsumerConfigs("client")).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }

    @Test
    void shouldLetTheRestoreConsumerStopWaitingAtTheEndOfAChangelogWithinTensOfMillisecondsButNotTheMainConsumer() {
        StreamsConfig config = new StreamsConfig(StreamsConfigFactory.create(CLIENTS, DYNAMIC));

        assertThat(config.getRestoreConsumerConfigs("client"))
                .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, StreamsConfigFactory.RESTORE_FETCH_MAX_WAIT_MS);
        assertThat(config.getMainConsumerConfigs("factory-test", "client", 1))
                .doesNotContainKey(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG);
    }

    @Test
    void shouldLetTheProducerLingerForOneCommitIntervalInLargeBatchesBecauseTheCommitFlushesItAnyway() {
        StreamsRuntimeProperties commitEvery250ms = new StreamsRuntimeProperties("factory-test", "localhost:9092",
                "/tmp/factory-test", 2, Duration.ofMillis(250), (short) 1, 8 << 20, 2 << 20, "INFO", "",
                Duration.ofSeconds(10), Map.of());
        StreamsConfig config = new StreamsConfig(StreamsConfigFactory.create(CLIENTS, commitEvery250ms));

        Map<String, Object> producer = config.getProducerConfigs("client");
        assertThat(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(producer).containsEntry(ProducerConfig.LINGER_MS_CONFIG, 250)
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    }

    @Test
    void shouldLetAnOverrideChooseTheProducersLingerAndBatchSize() {
        StreamsConfig config = new StreamsConfig(StreamsConfigFactory.create(CLIENTS, DYNAMIC.withOverrides(Map.of(
                "producer.linger.ms", "5", "producer.batch.size", "16384"))));

        assertThat(config.getProducerConfigs("client")).containsEntry(ProducerConfig.LINGER_MS_CONFIG, "5")
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, "16384");
    }

    @Test
    void shouldCheckWarmUpReplicasEveryMinuteSoThatANewInstanceTakesOverTasksWithinMinutesNotTen() {
        StreamsConfig config = new StreamsConfig(StreamsConfigFactory.create(CLIENTS, DYNAMIC));

        assertThat(config.getLong(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG)).isEqualTo(60_000L);
        assertThat(config.getLong(StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG)).isEqualTo(10_000L);
    }

    @Test
    void shouldLetAnOverrideChooseTheProbingInterval() {
        StreamsConfig config = new StreamsConfig(StreamsConfigFactory.create(CLIENTS,
                DYNAMIC.withOverrides(Map.of(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG, "600000"))));

        assertThat(config.getLong(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG)).isEqualTo(600_000L);
    }

    @Test
    void shouldKeepDynamicMembershipAndKafkasSessionTimeoutWhenNoInstanceIdIsSet() {
        Properties props = StreamsConfigFactory.create(CLIENTS, DYNAMIC);

        assertThat(props.stringPropertyNames()).noneMatch(k -> k.endsWith(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)
                || k.endsWith(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        Map<String, Object> thread = new StreamsConfig(props).getMainConsumerConfigs("factory-test", "client", 1);
        assertThat(thread).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        assertThat(sessionTimeoutMs(thread)).isEqualTo(45_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"session.timeout.ms", "consumer.session.timeout.ms", "main.consumer.session.timeout.ms"})
    void shouldLetAnOverrideWinOverTheStaticSessionTimeoutWhateverItsPrefix(String key) {
        Properties props = StreamsConfigFactory.create(CLIENTS, DYNAMIC.withInstanceId("sp-0").withOverrides(Map.of(key, "6000")));

        Map<String, Object> thread = new StreamsConfig(props).getMainConsumerConfigs("factory-test", "client", 1);
        assertThat(sessionTimeoutMs(thread)).isEqualTo(6000);
        assertThat(thread).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "sp-0-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"group.instance.id", "consumer.group.instance.id", "main.consumer.group.instance.id"})
    void shouldLetAnOverrideWinOverTheInstanceIdWhateverItsPrefix(String key) {
        Properties props = StreamsConfigFactory.create(CLIENTS, DYNAMIC.withInstanceId("sp-0")
                .withOverrides(Map.of(key, "chosen-by-hand")));

        Map<String, Object> thread = new StreamsConfig(props).getMainConsumerConfigs("factory-test", "client", 1);
        assertThat(thread).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "chosen-by-hand-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "sp 0", "sp-0\n", "pod/0", "sp:0", "stream-prozessör"})
    void shouldRefuseToStartWithAnInstanceIdKafkaWouldReject(String id) {
        assertThatThrownBy(() -> StreamsConfigFactory.create(CLIENTS, DYNAMIC.withInstanceId(id)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streamfleet.streams.instance-id (STREAMFLEET_STREAMS_INSTANCE_ID)")
                .hasMessageContaining("leave it unset for dynamic group membership");
    }

    @Test
    void shouldRefuseAnInstanceIdTooLongForKafkaOnceStreamsAddsTheThreadNumber() {
        assertThatThrownBy(() -> StreamsConfigFactory.create(CLIENTS, DYNAMIC.withInstanceId("a".repeat(241))))
                .hasMessageContaining("1 to 240 characters");
        assertThat(StreamsConfigFactory.create(CLIENTS, DYNAMIC.withInstanceId("a".repeat(240))))
                .containsEntry("main.consumer.group.instance.id", "a".repeat(240));
    }

    @Test
    void shouldBindTheInstanceIdFromTheEnvironmentVariableTheLauncherAndChartSet() {
        Binder binder = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource("env",
                Map.of("STREAMFLEET_STREAMS_APPLICATION_ID", "app", "STREAMFLEET_STREAMS_INSTANCE_ID", "cep-detector"))));

        StreamsRuntimeProperties bound = binder.bindOrCreate("streamfleet.streams", StreamsRuntimeProperties.class);

        assertThat(bound.instanceId()).isEqualTo("cep-detector");
        assertThat(bound.threads()).as("defaults still apply").isEqualTo(1);
        Binder unset = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource("env",
                Map.of("STREAMFLEET_STREAMS_APPLICATION_ID", "app"))));
        assertThat(unset.bindOrCreate("streamfleet.streams", StreamsRuntimeProperties.class).instanceId()).isNull();
    }

    @Test
    void shouldGiveRocksDbTheSameDefaultBoundsWhetherSettingsAreBoundOrLeftToTheConfigSetter() {
        Binder binder = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource("env",
                Map.of("STREAMFLEET_STREAMS_APPLICATION_ID", "app"))));

        StreamsRuntimeProperties bound = binder.bindOrCreate("streamfleet.streams", StreamsRuntimeProperties.class);

        assertThat(bound.rocksdbOffHeapBytes()).isEqualTo(BoundedMemoryRocksDbConfig.DEFAULT_TOTAL_OFF_HEAP_BYTES)
                .isEqualTo(128L << 20);
        assertThat(bound.rocksdbMemtableBytes()).isEqualTo(BoundedMemoryRocksDbConfig.DEFAULT_TOTAL_MEMTABLE_BYTES)
                .isEqualTo(64L << 20);
        Properties props = StreamsConfigFactory.create(CLIENTS, bound);
        assertThat(props.get(BoundedMemoryRocksDbConfig.TOTAL_OFF_HEAP_BYTES)).isEqualTo(128L << 20);
        assertThat(props.get(BoundedMemoryRocksDbConfig.TOTAL_MEMTABLE_BYTES)).isEqualTo(64L << 20);
    }

    /** Both forms Spring accepts: dashes dropped (the documented one) and dashes as underscores (README's). */
    @ParameterizedTest
    @ValueSource(strings = {"ROCKSDBOFFHEAPBYTES/ROCKSDBMEMTABLEBYTES", "ROCKSDB_OFF_HEAP_BYTES/ROCKSDB_MEMTABLE_BYTES"})
    void shouldTakeRocksDbBoundsFromTheEnvironmentVariablesABenchmarkOrOperatorSets(String names) {
        String[] name = names.split("/");
        Binder binder = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("STREAMFLEET_STREAMS_APPLICATION_ID", "app",
                        "STREAMFLEET_STREAMS_" + name[0], "268435456",
                        "STREAMFLEET_STREAMS_" + name[1], "134217728"))));

        Properties props = StreamsConfigFactory.create(CLIENTS,
                binder.bindOrCreate("streamfleet.streams", StreamsRuntimeProperties.class));

        assertThat(props.get(BoundedMemoryRocksDbConfig.TOTAL_OFF_HEAP_BYTES)).isEqualTo(256L << 20);
        assertThat(props.get(BoundedMemoryRocksDbConfig.TOTAL_MEMTABLE_BYTES)).isEqualTo(128L << 20);
    }

    /** The session timeout the thread's consumer will use, Kafka's default included. */
    private static int sessionTimeoutMs(Map<String, Object> consumerConfig) {
        return new ConsumerConfig(ConsumerConfig.appendDeserializerToConfig(consumerConfig,
                new ByteArrayDeserializer(), new ByteArrayDeserializer()))
                .getInt(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
    }
}
