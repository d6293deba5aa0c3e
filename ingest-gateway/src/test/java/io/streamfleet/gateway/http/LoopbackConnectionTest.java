package io.streamfleet.gateway.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The warm-up's hand-written loopback client against a scripted server socket: response framing (Content-Length,
 * chunked, a close), the request it writes, and the WebSocket frames both ways (masking, 16-bit lengths, fragments,
 * ping, close).
 */
class LoopbackConnectionTest {

    private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final List<String> requests = new CopyOnWriteArrayList<>();

    LoopbackConnectionTest() throws IOException {
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    /** Accepts one connection, reads each request head + body, answers with the next canned response. */
    private CompletableFuture<Void> serveHttp(String... responses) {
        return CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (String response : responses) {
                    String head = readHead(in);
                    int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
                    requests.add(head + new String(in.readNBytes(length), StandardCharsets.UTF_8));
                    out.write(response.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                in.read(); // until the client closes
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    @Test
    void shouldReadContentLengthAndChunkedAnswersOnOneKeptAliveConnection() throws Exception {
        CompletableFuture<Void> served = serveHttp(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{\"ok\":true}",
                "HTTP/1.1 202 Accepted\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n3;x=1\r\nabc\r\n0\r\n\r\n",
                "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        byte[] head = LoopbackConnection.head("/v1/orders/dry-run", server.getLocalPort(), "Bearer k",
                "application/json");

        try (LoopbackConnection connection = new LoopbackConnection(server.getLocalPort())) {
            assertThat(connection.post(head, "{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isEqualTo(200);
            assertThat(connection.post(head, "{}".getBytes(StandardCharsets.UTF_8))).isEqualTo(202);
            assertThat(connection.post(head, "[]".getBytes(StandardCharsets.UTF_8))).isEqualTo(400);
            assertThat(connection.isOpen()).isTrue();
        }
        served.get(5, TimeUnit.SECONDS);
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0)).startsWith("POST /v1/orders/dry-run HTTP/1.1\r\n")
                .contains("\r\nAuthorization: Bearer k\r\n", "\r\nContent-Type: application/json\r\n",
                        "\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
    }

    @Test
    void shouldNotReuseAConnectionTheServerCloses() throws Exception {
        CompletableFuture<Void> served = serveHttp(
                "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
        byte[] head = LoopbackConnection.head("/x", server.getLocalPort(), "Bearer k", "application/json");

        try (LoopbackConnection connection = new LoopbackConnection(server.getLocalPort())) {
            assertThat(connection.post(head, new byte[0])).isEqualTo(200);
            assertThat(connection.isOpen()).isFalse();
        }
        served.get(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldFailAndCloseWhenTheServerHangsUpMidAnswer() throws Exception {
        CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                readHead(s.getInputStream());
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Le".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] head = LoopbackConnection.head("/x", server.getLocalPort(), "Bearer k", "application/json");

        try (LoopbackConnection connection = new LoopbackConnection(server.getLocalPort())) {
            assertThatThrownBy(() -> connection.post(head, new byte[0])).isInstanceOf(EOFException.class);
            assertThat(connection.isOpen()).isFalse();
        }
        served.get(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldUpgradeThenSendMaskedFramesAndReadFragmentedAndLongAcks() throws Exception {
        String longAck = "x".repeat(300);
        List<String> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                requests.add(readHead(in));
                out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                received.add(readClientFrame(in));
                received.add(readClientFrame(in));
                // a ping first (the client must answer it with a pong), then a text in two fragments, then a text
                // with a 16-bit length
                out.write(new byte[]{(byte) 0x89, 2, 'p', 'i'});
                out.write(new byte[]{0x01, 3, 'a', 'b', 'c'});
                out.write(new byte[]{(byte) 0x80, 2, 'd', 'e'});
                out.write(new byte[]{(byte) 0x81, 126, (byte) (longAck.length() >>> 8), (byte) longAck.length()});
                out.write(longAck.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                received.add("pong:" + readClientFrame(in));
                received.add("close:" + readClientFrame(in).length());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });

        LoopbackConnection connection = new LoopbackConnection(server.getLocalPort());
        assertThat(connection.upgrade("/v1/events/ws/dry-run", server.getLocalPort(), "Bearer k")).isTrue();
        connection.sendText("{\"one\":1}".getBytes(StandardCharsets.UTF_8));
        connection.sendText(longAck.getBytes(StandardCharsets.UTF_8));
        assertThat(connection.readText()).isEqualTo("abcde");
        assertThat(connection.readText()).isEqualTo(longAck);
        connection.closeWebSocket();
        served.get(5, TimeUnit.SECONDS);

        assertThat(requests.get(0)).startsWith("GET /v1/events/ws/dry-run HTTP/1.1\r\n")
                .contains("\r\nUpgrade: websocket\r\n", "\r\nSec-WebSocket-Version: 13\r\n",
                        "\r\nAuthorization: Bearer k\r\n");
        assertThat(received).containsExactly("{\"one\":1}", longAck, "pong:pi", "close:2");
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void shouldReportARefusedUpgrade() throws Exception {
        CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                readHead(s.getInputStream());
                s.getOutputStream().write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getInputStream().read();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });

        try (LoopbackConnection connection = new LoopbackConnection(server.getLocalPort())) {
            assertThat(connection.upgrade("/ws", server.getLocalPort(), "Bearer wrong")).isFalse();
            assertThat(connection.isOpen()).isFalse();
        }
        served.get(5, TimeUnit.SECONDS);
    }

    /** A client frame: must be masked; returns its unmasked payload as text. */
    private static String readClientFrame(DataInputStream in) throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        assertThat(b1 & 0x80).as("client frames are masked").isEqualTo(0x80);
        int len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = (int) in.readLong();
        }
        byte[] key = in.readNBytes(4);
        byte[] payload = in.readNBytes(len);
        for (int i = 0; i < len; i++) {
            payload[i] ^= key[i & 3];
        }
        assertThat(b0 & 0x80).as("FIN").isEqualTo(0x80);
        return new String(payload, StandardCharsets.UTF_8);
    }
}
