package io.streamfleet.gateway.config;

import io.streamfleet.gateway.http.EventLoopLagProbes;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.resources.LoopResources;

/**
 * The HTTP server's own event loops ({@link GatewayProperties.EventLoops}): a dedicated acceptor thread and the
 * workers, instead of Reactor Netty's global loops where accepting shares a worker. Spring manages their life cycle
 * through the resource factory (disposed after the server stopped, as the global ones would be).
 */
@Configuration(proxyBeanMethods = false)
class EventLoopsConfiguration {

    /** One acceptor: accepting costs microseconds, and one thread does it for any number of connections. */
    private static final int ACCEPTORS = 1;

    @Bean
    ReactorResourceFactory reactorResourceFactory(GatewayProperties properties) {
        int workers = properties.eventLoops().workers() > 0
                ? properties.eventLoops().workers() : LoopResources.DEFAULT_IO_WORKER_COUNT;
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        factory.setLoopResourcesSupplier(() -> LoopResources.create("gateway-http", ACCEPTORS, workers, true));
        return factory;
    }

    @Bean
    EventLoopLagProbes eventLoopLagProbes(GatewayProperties properties, GatewayMetrics metrics) {
        EventLoopLagProbes probes = new EventLoopLagProbes(properties.eventLoops().lagProbe());
        metrics.eventLoopLag(probes::maxBehindMillis);
        return probes;
    }
}
