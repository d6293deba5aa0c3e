package io.streamfleet.testkit.process;

import io.streamfleet.launcher.process.Ports;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;

import java.nio.file.Path;

/**
 * A Kafka Streams service's packaged jar against the shared in-JVM broker, as the restart tests run it: on a free
 * HTTP port (also its interactive-query address), with its application id and state directory, and a 6 s session
 * with 1 s heartbeats so the group notices a killed instance quickly.
 */
public final class StreamsServiceJar {

    private StreamsServiceJar() {
    }

    public static ServiceProcessBuilder onSharedBroker(Path jar, String applicationId, Path stateDir) {
        int port = Ports.freePort();
        return ServiceProcess.jar(jar).httpPort(port)
                .jvmArgs("-Xmx256m")
                .property("server.port", port)
                .property("streamfleet.kafka.bootstrap-servers", SharedKafkaBroker.bootstrapServers())
                .property("streamfleet.streams.application-id", applicationId)
                .property("streamfleet.streams.state-dir", stateDir)
                .property("streamfleet.streams.application-server", "localhost:" + port)
                .property("streamfleet.streams.overrides.session.timeout.ms", 6000)
                .property("streamfleet.streams.overrides.heartbeat.interval.ms", 1000);
    }
}
