package io.streamfleet.launcher.broker;

import io.streamfleet.launcher.FleetLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalBrokerSettingsTest {

    private final FleetLayout layout = FleetLayout.defaults(Path.of("/repo"));

    @AfterEach
    void clearProperties() {
        System.clearProperty(LocalBroker.JVM_OPTIONS_PROPERTY);
    }

    @Test
    void shouldStartTheBrokerWithAFixedHeapAndSerialCollectorBeforeItsLoggingAndClassPath() {
        List<String> args = new LocalBroker(layout).jvmArgs();

        assertThat(args).startsWith("-Xms768m", "-Xmx768m", "-Xmn448m", "-XX:+UseSerialGC")
                .doesNotContain("-XX:+UseG1GC")
                .endsWith("-cp", layout.launcherClasspath());
    }

    @Test
    void shouldReplaceOnlyHeapAndCollectorWithTheOptionsOfTheProperty() {
        System.setProperty(LocalBroker.JVM_OPTIONS_PROPERTY, " -Xms256m  -Xmx768m\t-XX:+UseG1GC ");

        List<String> args = new LocalBroker(layout).jvmArgs();

        assertThat(args).startsWith("-Xms256m", "-Xmx768m", "-XX:+UseG1GC")
                .doesNotContain("-XX:+UseSerialGC", "-Xmn448m")
                .contains("-Dlog4j2.configurationFile=classpath:log4j2-fleet.xml")
                .endsWith("-cp", layout.launcherClasspath());
    }

    @Test
    void shouldKeepTheDefaultHeapAndCollectorWhenThePropertyIsBlank() {
        assertThat(LocalBroker.heapAndCollector("  ")).isEqualTo(LocalBroker.HEAP_AND_COLLECTOR);
    }

    @Test
    void shouldThrottleTheLogCleanerToThirtyTwoMebibytesPerSecond() throws IOException {
        Properties props = load(BrokerSettings.serverProperties(Path.of("/data"), 19092, 19093));

        assertThat(props.getProperty("log.cleaner.io.max.bytes.per.second")).isEqualTo("33554432");
    }

    @Test
    void shouldLetOverridesWinOverTheDefaultsOfTheSameKey() throws IOException {
        String text = BrokerSettings.serverProperties(Path.of("/data"), 19092, 19093)
                + BrokerSettings.overrides(" log.cleaner.io.max.bytes.per.second=1000000 , num.io.threads=2,");

        Properties props = load(text);

        assertThat(props.getProperty("log.cleaner.io.max.bytes.per.second")).isEqualTo("1000000");
        assertThat(props.getProperty("num.io.threads")).isEqualTo("2");
        assertThat(props.getProperty("process.roles")).isEqualTo("broker,controller");
    }

    @Test
    void shouldAddNoLinesForABlankOverrideList() {
        assertThat(BrokerSettings.overrides("")).isEmpty();
        assertThat(BrokerSettings.overrides(" , ")).isEmpty();
    }

    @Test
    void shouldRefuseAnOverrideThatIsNotKeyEqualsValue() {
        assertThatThrownBy(() -> BrokerSettings.overrides("log.cleaner.threads"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("log.cleaner.threads");
        assertThatThrownBy(() -> BrokerSettings.overrides("=2"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Properties load(String text) throws IOException {
        Properties props = new Properties();
        props.load(new StringReader(text));
        return props;
    }
}
