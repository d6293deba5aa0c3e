package io.streamfleet.testkit.process;

import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The smallest real service a {@link ServiceProcessTest} child JVM can run (the JDK HTTP server):
 * {@code <port> <status>} serves that readiness status at {@code /actuator/health/readiness} until it is stopped; {@code fail <message>} logs the message and exits 3.
 * It logs "stopping" from a shutdown hook, so a test can tell a graceful stop from a SIGKILL.
 */
public final class TinyReadinessServer {

    private TinyReadinessServer() {
    }

    public static void main(String[] args) throws Exception {
        if ("fail".equals(args[0])) {
            System.out.println(args[1]);
            System.exit(3);
        }
        byte[] body = ("{\"status\":\"" + args[1] + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", Integer.parseInt(args[0])), 0);
        server.createContext("/actuator/health/readiness", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders("UP".equals(args[1]) ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopping")));
        server.start();
        System.out.println("listening on " + args[0]);
        Thread.currentThread().join();
    }
}
