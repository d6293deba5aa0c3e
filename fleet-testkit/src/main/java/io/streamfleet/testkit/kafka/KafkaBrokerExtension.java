package io.streamfleet.testkit.kafka;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that makes sure the {@link SharedKafkaBroker} runs and publishes its address as the system
 * properties {@code spring.kafka.bootstrap-servers} and {@code streamfleet.kafka.bootstrap-servers}, so Spring
 * contexts started by the test find it without further wiring.
 */
public class KafkaBrokerExtension implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        String servers = SharedKafkaBroker.bootstrapServers();
        System.setProperty("spring.kafka.bootstrap-servers", servers);
        System.setProperty("streamfleet.kafka.bootstrap-servers", servers);
        // closed once, when the whole test run of this JVM ends
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedKafkaBroker.class.getName(), k -> new BrokerResource(),
                        BrokerResource.class);
    }

    private static final class BrokerResource implements AutoCloseable {
        @Override
        public void close() {
            SharedKafkaBroker.stop();
        }
    }
}
