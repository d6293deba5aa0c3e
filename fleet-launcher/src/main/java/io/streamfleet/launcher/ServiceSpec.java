package io.streamfleet.launcher;

import java.util.List;

/**
 * One service of the fleet as the launcher runs it.
 *
 * @param name         module name, also the jar name
 * @param port         HTTP port
 * @param streams      whether it is a Kafka Streams app (gets a state directory)
 * @param usesApiKeys  whether it checks API keys (gets the development key)
 */
public record ServiceSpec(String name, int port, boolean streams, boolean usesApiKeys) {

    public static List<ServiceSpec> defaults() {
        return List.of(
                new ServiceSpec("stream-processor", 8081, true, false),
                new ServiceSpec("cep-detector", 8082, true, false),
                new ServiceSpec("session-analytics", 8083, true, false),
                new ServiceSpec("alert-api", 8084, false, true),
                new ServiceSpec("ingest-gateway", 8080, false, true));
    }

    public ServiceSpec withPort(int newPort) {
        return new ServiceSpec(name, newPort, streams, usesApiKeys);
    }

    public String jarPath() {
        return name + "/target/" + name + "-exec.jar";
    }
}
