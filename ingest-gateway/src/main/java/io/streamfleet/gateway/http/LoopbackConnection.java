package io.streamfleet.gateway.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One keep-alive connection of the self-warm-up's client to the gateway's own port over loopback: blocking, with
 * pre-encoded request heads, a plain HTTP/1.1 response reader and a minimal WebSocket framer (RFC 6455: masked client
 * text frames, unmasked server frames). Deliberately not Reactor Netty's client: that client runs on the server's own
 * event loops and is a large body of code the JIT would have to compile for the warm-up alone (the JFR profile of the
 * warm-up in docs/ingest-gateway.md), while this one costs a few system calls per request and leaves the CPU and the
 * compiler to the server's path. Not thread-safe: one step at a time uses it.
 */
final class LoopbackConnection implements AutoCloseable {

    private static final int TIMEOUT_MS = 5_000;
    private static final byte[] CRLFCRLF = {'\r', '\n', '\r', '\n'};

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;
    private boolean open = true;

    LoopbackConnection(int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MS);
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Whether it can take another request (the server did not close it, no error broke it). */
    boolean isOpen() {
        return open && !socket.isClosed();
    }

    /** {@code POST path} with {@code head} (request line and headers up to, not including, Content-Length). */
    static byte[] head(String path, int port, String bearer, String contentType) {
        return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: " + bearer
                + "\r\nContent-Type: " + contentType + "\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends one request (a pre-encoded head, then the body's length and the body) and returns the status code. */
    int post(byte[] head, byte[] body) throws IOException {
        try {
            out.write(head);
            out.write((body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return readResponse();
        } catch (IOException | RuntimeException e) {
            open = false;
            throw e;
        }
    }

    /** Reads a response head and skips its body (Content-Length or chunked); returns the status code. */
    private int readResponse() throws IOException {
        int headEnd = indexOfHeadEnd();
        String head = new String(buffer, start, headEnd - start, StandardCharsets.ISO_8859_1);
        start = headEnd + CRLFCRLF.length;
        if (!head.startsWith("HTTP/1.1 ") || head.length() < 12) {
            throw new IOException("not an HTTP/1.1 response: " + head.lines().findFirst().orElse(""));
        }
        int status = Integer.parseInt(head.substring(9, 12));
        String lower = head.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("\r\nconnection: close")) {
            open = false;
        }
        int length = lower.indexOf("\r\ncontent-length:");
        if (length >= 0) {
            int from = length + "\r\ncontent-length:".length();
            int to = lower.indexOf('\r', from);
            skip(Long.parseLong(lower.substring(from, to < 0 ? lower.length() : to).strip()));
        } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
            while (true) {
                String size = line();
                int semicolon = size.indexOf(';');
                long chunk = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
                skip(chunk);
                line();
                if (chunk == 0) {
                    break;
                }
            }
        } else if (status != 204 && status != 304 && status >= 200) {
            open = false; // a body up to the end of the connection: this connection cannot be reused
        }
        return status;
    }

    /**
     * The WebSocket handshake on {@code path}; true when the server answered 101. The connection is then a WebSocket:
     * only {@link #sendText} and {@link #readText} may follow.
     */
    boolean upgrade(String path, int port, String bearer) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                + "\r\nSec-WebSocket-Version: 13\r\nAuthorization: " + bearer + "\r\n\r\n";
        try {
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int headEnd = indexOfHeadEnd();
            String head = new String(buffer, start, headEnd - start, StandardCharsets.ISO_8859_1);
            start = headEnd + CRLFCRLF.length;
            boolean upgraded = head.startsWith("HTTP/1.1 101");
            if (!upgraded) {
                open = false;
            }
            return upgraded;
        } catch (IOException | RuntimeException e) {
            open = false;
            throw e;
        }
    }

    /** One masked text frame (FIN set), as a client must send it. */
    void sendText(byte[] payload) throws IOException {
        int len = payload.length;
        byte[] frame = new byte[2 + (len < 126 ? 0 : len < 65_536 ? 2 : 8) + 4 + len];
        int p = 0;
        frame[p++] = (byte) 0x81;
        if (len < 126) {
            frame[p++] = (byte) (0x80 | len);
        } else if (len < 65_536) {
            frame[p++] = (byte) (0x80 | 126);
            frame[p++] = (byte) (len >>> 8);
            frame[p++] = (byte) len;
        } else {
            frame[p++] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame[p++] = (byte) ((long) len >>> shift);
            }
        }
        int mask = ThreadLocalRandom.current().nextInt();
        byte[] key = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        System.arraycopy(key, 0, frame, p, 4);
        p += 4;
        for (int i = 0; i < len; i++) {
            frame[p + i] = (byte) (payload[i] ^ key[i & 3]);
        }
        try {
            out.write(frame);
            out.flush();
        } catch (IOException e) {
            open = false;
            throw e;
        }
    }

    /** The next text message (fragments joined; pings answered); an exception when the server closed the socket. */
    String readText() throws IOException {
        try {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            while (true) {
                int b0 = readByte();
                int b1 = readByte();
                long len = b1 & 0x7f;
                if (len == 126) {
                    len = (readByte() << 8) | readByte();
                } else if (len == 127) {
                    len = 0;
                    for (int i = 0; i < 8; i++) {
                        len = (len << 8) | readByte();
                    }
                }
                byte[] key = (b1 & 0x80) != 0 ? new byte[]{(byte) readByte(), (byte) readByte(), (byte) readByte(),
                        (byte) readByte()} : null;
                if (len > 1 << 20) {
                    throw new IOException("WebSocket frame of " + len + " bytes");
                }
                byte[] payload = new byte[(int) len];
                for (int i = 0; i < len; i++) {
                    payload[i] = (byte) (readByte() ^ (key == null ? 0 : key[i & 3]));
                }
                int opcode = b0 & 0x0f;
                if (opcode == 0x8) {
                    throw new EOFException("the server closed the WebSocket");
                } else if (opcode == 0x9) {
                    sendControl(0xA, payload);
                } else if (opcode == 0x1 || opcode == 0x0) {
                    message.write(payload);
                    if ((b0 & 0x80) != 0) {
                        return message.toString(StandardCharsets.UTF_8);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            open = false;
            throw e;
        }
    }

    private void sendControl(int opcode, byte[] payload) throws IOException {
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) (0x80 | payload.length);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = payload[i]; // mask key 0: the payload as it is
        }
        out.write(frame);
        out.flush();
    }

    /** A close frame (status 1000), then the socket; errors on the way are of no interest any more. */
    void closeWebSocket() {
        try {
            sendControl(0x8, new byte[]{0x03, (byte) 0xe8});
        } catch (IOException | RuntimeException ignored) {
            // the socket is closed below anyway
        }
        close();
    }

    private int readByte() throws IOException {
        if (start == end) {
            fill();
        }
        return buffer[start++] & 0xff;
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = readByte()) != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private void skip(long bytes) throws IOException {
        while (bytes > 0) {
            if (start == end) {
                fill();
            }
            int n = (int) Math.min(bytes, end - start);
            start += n;
            bytes -= n;
        }
    }

    /** The index of the CRLFCRLF that ends a head starting at {@code start}, reading as needed. */
    private int indexOfHeadEnd() throws IOException {
        int from = start;
        while (true) {
            for (int i = from; i + 3 < end; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                    return i;
                }
            }
            from = Math.max(start, end - 3);
            int before = start;
            fill();
            from -= before - start; // fill() may have moved the unread bytes to the front
        }
    }

    /** Reads more bytes after the unread ones (moved to the front first); EOF is an error. */
    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            throw new IOException("response head longer than " + buffer.length + " bytes");
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            open = false;
            throw new EOFException("the server closed the connection");
        }
        end += n;
    }

    @Override
    public void close() {
        open = false;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
