package io.streamfleet.testkit.process;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * The service processes a test starts; after each test the ones still running are stopped (SIGTERM to all at once,
 * SIGKILL after {@link ServiceProcess#STOP_TIMEOUT}), so no test leaves a JVM behind. Register it with
 * {@code @RegisterExtension final ServiceProcesses processes = new ServiceProcesses();}.
 */
public final class ServiceProcesses implements AfterEachCallback {

    private final List<ServiceProcess> started = new ArrayList<>();

    public ServiceProcess start(ServiceProcessBuilder builder) {
        ServiceProcess process = builder.start();
        started.add(process);
        return process;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopAll();
    }

    public void stopAll() {
        started.stream().filter(ServiceProcess::isAlive).forEach(ServiceProcess::requestStop);
        started.forEach(ServiceProcess::close);
        started.clear();
    }
}
