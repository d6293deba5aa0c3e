package io.streamfleet.bench.driver;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamfleet.bench.scenario.BenchEvent;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP/1.1 to the gateway: batches as a JSON array to {@code POST /v1/events}, or one event per request to
 * {@code /v1/orders} / {@code /v1/engagement}. Plain Netty, kept as lean as {@code wrk}: a fixed set of keep-alive
 * connections, each pinned to one of {@code threads} event loops; a request is written as raw bytes (the request line
 * and headers encoded once per path, a retained duplicate of that buffer, then the length and the body written straight
 * into a pooled buffer); an answer is decoded only for its status, {@code Retry-After} and, for a 207, 429 or 503, its
 * body. Requests beyond the free connections wait, first come first served, for one to come free, and that wait
 * counts as latency (the runner measures from the intended send time). Free connections are taken oldest first, so the
 * load spreads over all of them as wrk's does. A request not answered within the timeout fails
 * ({@code error:ReadTimeoutException}, its connection is closed and replaced), as does one that waited that long for a
 * connection ({@code error:TimeoutException}). The open loop paces its sends on the first event loop
 * ({@link #pacingLoop()}), so a send is a call on the thread that writes it. Replaces a Reactor Netty client that
 * cost two to four times wrk's CPU per request (docs/ingest-gateway.md).
 * <p>
 * A transport may also grow: given a ceiling above its connections, it opens one more connection for each request
 * that would otherwise wait, up to the ceiling. An open loop driven past the server's capacity then keeps its schedule
 * on the wire, as a population of independent clients would, and the server's own admission control, not the driver's
 * pool, decides what waits; {@link #peakConnections()} says how far it grew.
 */
public final class HttpTransport implements Transport {

    /** Connections when the caller does not say. */
    public static final int DEFAULT_CONNECTIONS = 64;

    private static final String ORDERS = "/v1/orders";
    private static final String ENGAGEMENT = "/v1/engagement";
    private static final String EVENTS = "/v1/events";
    private static final byte[] CRLF_CRLF = {'\r', '\n', '\r', '\n'};

    private final EventLoopGroup group;
    private final Lane[] lanes;
    private final AtomicInteger nextLane = new AtomicInteger();
    private final Target target;
    private final int batchSize;
    private final long timeoutNanos;

    private HttpTransport(String gatewayUrl, String apiKey, int batchSize, Duration timeout, int connections,
                          int threads, int growTo) {
        if (connections < 1 || threads < 1) {
            throw new IllegalArgumentException("connections and threads must be >= 1");
        }
        if (growTo < connections) {
            throw new IllegalArgumentException("the connection ceiling (" + growTo
                    + ") must be at least the connections (" + connections + ")");
        }
        this.target = Target.of(gatewayUrl, "Bearer " + apiKey);
        this.batchSize = batchSize;
        this.timeoutNanos = timeout.toNanos();
        int loops = Math.min(threads, connections);
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(loops, new DefaultThreadFactory("fleet-bench-http", true), io);
        this.lanes = new Lane[loops];
        for (int i = 0; i < loops; i++) {
            lanes[i] = new Lane(group.next(), target, share(connections, loops, i), share(growTo, loops, i));
        }
        warmUp(timeout);
    }

    private static int share(int total, int loops, int i) {
        return total / loops + (i < total % loops ? 1 : 0);
    }

    /** JSON-array batches of the given size to {@code /v1/events}. */
    public static HttpTransport batch(String gatewayUrl, String apiKey, int batchSize, Duration timeout) {
        return batch(gatewayUrl, apiKey, batchSize, timeout, DEFAULT_CONNECTIONS, 1);
    }

    /** JSON-array batches over at most {@code connections} connections served by {@code threads} event loops. */
    public static HttpTransport batch(String gatewayUrl, String apiKey, int batchSize, Duration timeout,
                                      int connections, int threads) {
        return batch(gatewayUrl, apiKey, batchSize, timeout, connections, threads, connections);
    }

    /** As {@link #batch(String, String, int, Duration, int, int)}, growing up to {@code growTo} connections. */
    public static HttpTransport batch(String gatewayUrl, String apiKey, int batchSize, Duration timeout,
                                      int connections, int threads, int growTo) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1");
        }
        return new HttpTransport(gatewayUrl, apiKey, batchSize, timeout, connections, threads, growTo);
    }

    /** One event per request to the per-kind endpoints. */
    public static HttpTransport single(String gatewayUrl, String apiKey, Duration timeout) {
        return single(gatewayUrl, apiKey, timeout, DEFAULT_CONNECTIONS, 1);
    }

    /** One event per request over at most {@code connections} connections served by {@code threads} event loops. */
    public static HttpTransport single(String gatewayUrl, String apiKey, Duration timeout, int connections,
                                       int threads) {
        return single(gatewayUrl, apiKey, timeout, connections, threads, connections);
    }

    /** As {@link #single(String, String, Duration, int, int)}, growing up to {@code growTo} connections. */
    public static HttpTransport single(String gatewayUrl, String apiKey, Duration timeout, int connections,
                                       int threads, int growTo) {
        return new HttpTransport(gatewayUrl, apiKey, 0, timeout, connections, threads, growTo);
    }

    /** The most connections open at once (summed over the event loops' own peaks). */
    public int peakConnections() {
        int peak = 0;
        for (Lane lane : lanes) {
            peak += lane.peak;
        }
        return peak;
    }

    @Override
    public int batchSize() {
        return Math.max(1, batchSize);
    }

    /** The first event loop: sends issued on it are written without a thread hop. */
    @Override
    public Optional<ScheduledExecutorService> pacingLoop() {
        return Optional.of(lanes[0].loop);
    }

    @Override
    public CompletableFuture<SendResult> send(List<BenchEvent> batch) {
        if (batchSize == 0) {
            BenchEvent event = batch.get(0);
            return post(event.isOrder() ? target.orders : target.engagement, WireJson.event(event, false),
                    batch.size());
        }
        return post(target.events, WireJson.array(batch), batch.size());
    }

    /** Posts a body under a pre-encoded head and reads the answer as {@link GatewayResponses} does; never fails. */
    private CompletableFuture<SendResult> post(byte[] head, String body, int events) {
        Lane lane = lanes.length == 1 ? lanes[0] : lanes[Math.floorMod(nextLane.getAndIncrement(), lanes.length)];
        Request request = new Request(head, body, events);
        if (lane.loop.inEventLoop()) {
            lane.submit(request);
        } else {
            try {
                lane.loop.execute(() -> lane.submit(request));
            } catch (RuntimeException e) {
                request.fail(e);
            }
        }
        return request.answer;
    }

    /**
     * Loads and links the request path (connect, encode, decode) with a few POSTs to a throwaway server on loopback,
     * so the first timed request to the gateway does not pay for the client's own start.
     */
    private void warmUp(Duration timeout) {
        DisposableServer local = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> request.receive().then(response.status(202).send()))
                .bindNow();
        Target warm = Target.of("http://127.0.0.1:" + local.port(), "Bearer warm-up");
        Lane lane = new Lane(lanes[0].loop, warm, 1, 1);
        try {
            for (int i = 0; i < 20; i++) {
                Request request = new Request(warm.orders, "{}", 1);
                lane.loop.execute(() -> lane.submit(request));
                request.answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            // a warm-up that failed costs the first timed requests some latency, nothing else
        } finally {
            lane.loop.execute(lane::close);
            local.disposeNow();
        }
    }

    @Override
    public void close() {
        for (Lane lane : lanes) {
            try {
                lane.loop.submit(lane::close).await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the loop is already shutting down
            }
        }
        // the threads are daemons: a starved machine that needs more than 5 s to stop them keeps nothing alive
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Where requests go: host, port, TLS, and the request head (line and headers up to the length) per path. */
    private static final class Target {
        final String host;
        final int port;
        final SslContext ssl;
        final String basePath;
        final String hostHeader;
        final String authorization;
        final byte[] orders;
        final byte[] engagement;
        final byte[] events;

        private Target(URI uri, String authorization) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("the gateway URL must be http:// or https://, was " + uri);
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("the gateway URL has no host: " + uri);
            }
            boolean tls = scheme.equals("https");
            this.host = uri.getHost();
            this.port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
            try {
                this.ssl = tls ? SslContextBuilder.forClient().build() : null;
            } catch (SSLException e) {
                throw new IllegalStateException("cannot set up TLS for " + uri, e);
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            this.hostHeader = uri.getPort() > 0 ? host + ":" + port : host;
            this.authorization = authorization;
            this.orders = head(ORDERS);
            this.engagement = head(ENGAGEMENT);
            this.events = head(EVENTS);
        }

        static Target of(String url, String authorization) {
            return new Target(URI.create(url), authorization);
        }

        byte[] head(String path) {
            return ("POST " + basePath + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nAuthorization: "
                    + authorization + "\r\nContent-Type: application/json\r\nContent-Length: ")
                    .getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** One request: its head and body until written, and the future its answer completes. */
    private static final class Request {
        final byte[] head;
        final String body;
        final int events;
        final CompletableFuture<SendResult> answer = new CompletableFuture<>();
        long since;
        /** Wall-clock ms at which the request was written to its connection; NOT_SENT while it waits for one. */
        long wireMs = SendResult.NOT_SENT;

        Request(byte[] head, String body, int events) {
            this.head = head;
            this.body = body;
            this.events = events;
        }

        void fail(Throwable error) {
            answer.complete(SendResult.failed(events, error).withWireMs(wireMs));
        }
    }

    /**
     * The connections of one event loop and the requests waiting for one of them; touched only on that loop. The
     * connections open on the first request (all of them, as wrk opens its own before it starts); beyond them, up to
     * the ceiling, one more opens for each request that finds none free.
     */
    private final class Lane {
        final EventLoop loop;
        final Target target;
        final int connections;
        final int maxConnections;
        final Bootstrap bootstrap;
        final ArrayDeque<Connection> idle = new ArrayDeque<>();
        final ArrayDeque<Request> waiting = new ArrayDeque<>();
        final List<Connection> all = new ArrayList<>();
        /** Encoded head per path: a retained duplicate is written with each request, never a copy. */
        final java.util.Map<byte[], ByteBuf> heads = new java.util.IdentityHashMap<>();
        int open;
        /** Most connections open (or opening) at once; read by {@link #peakConnections()} from any thread. */
        volatile int peak;
        boolean closed;
        ScheduledFuture<?> sweep;

        Lane(EventLoop loop, Target target, int connections, int maxConnections) {
            this.loop = loop;
            this.target = target;
            this.connections = connections;
            this.maxConnections = maxConnections;
            this.bootstrap = new Bootstrap().group(loop)
                    .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_KEEPALIVE, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (target.ssl != null) {
                                ch.pipeline().addLast(target.ssl.newHandler(ch.alloc(), target.host, target.port));
                            }
                            ch.pipeline().addLast(new HttpResponseDecoder(), new Connection(Lane.this, ch));
                        }
                    });
        }

        void submit(Request request) {
            if (closed) {
                request.fail(new IOException("the transport is closed"));
                return;
            }
            request.since = System.nanoTime();
            Connection free = idle.pollFirst();
            if (free != null) {
                free.write(request);
                return;
            }
            waiting.addLast(request);
            if (sweep == null) {
                long every = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(timeoutNanos / 4,
                        TimeUnit.MILLISECONDS.toNanos(100)));
                sweep = loop.scheduleAtFixedRate(this::expire, every, every, TimeUnit.NANOSECONDS);
                while (open < connections) {
                    connect();
                }
            } else if (open < maxConnections && waiting.size() > open - all.size()) {
                // every connection is busy and none is on its way for this request: one more, up to the ceiling
                connect();
            }
        }

        ByteBuf head(byte[] bytes) {
            ByteBuf head = heads.get(bytes);
            if (head == null) {
                head = Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
                heads.put(bytes, head);
            }
            return head.retainedDuplicate();
        }

        private void connect() {
            open++;
            peak = Math.max(peak, open);
            ChannelFuture connecting = bootstrap.connect(target.host, target.port);
            connecting.addListener(f -> {
                if (!f.isSuccess()) {
                    open--;
                    if (open == 0) {
                        // nothing left that could take the waiting requests: they fail with the reason
                        failWaiting(f.cause());
                    }
                }
            });
        }

        /** A connection is ready for the next request (just connected, or its answer fully read). */
        void free(Connection connection) {
            Request next = waiting.pollFirst();
            if (next != null) {
                connection.write(next);
            } else {
                idle.addLast(connection);
            }
        }

        void gone(Connection connection) {
            open--;
            all.remove(connection);
            idle.remove(connection);
            if (!closed && !waiting.isEmpty() && open < maxConnections) {
                connect();
            }
        }

        /** Fails what waited or was on the wire longer than the timeout; a timed-out connection is replaced. */
        private void expire() {
            long now = System.nanoTime();
            while (!waiting.isEmpty() && now - waiting.peekFirst().since > timeoutNanos) {
                waiting.pollFirst().fail(new TimeoutException("no free connection within the timeout"));
            }
            for (Connection c : List.copyOf(all)) {
                if (c.current != null && now - c.current.since > timeoutNanos) {
                    c.fail(ReadTimeoutException.INSTANCE);
                    c.channel.close();
                }
            }
        }

        private void failWaiting(Throwable cause) {
            while (!waiting.isEmpty()) {
                waiting.pollFirst().fail(cause);
            }
        }

        void close() {
            closed = true;
            if (sweep != null) {
                sweep.cancel(false);
            }
            failWaiting(new IOException("the transport was closed"));
            for (Connection c : List.copyOf(all)) {
                c.fail(new IOException("the transport was closed"));
                c.channel.close();
            }
        }
    }

    /** One keep-alive connection: at most one request on it at a time; its answer read for status and refusals. */
    private static final class Connection extends ChannelInboundHandlerAdapter {
        private final Lane lane;
        private final Channel channel;
        private Request current;
        private int status;
        private String retryAfter;
        private boolean keepAlive;
        private ByteBuf body;

        Connection(Lane lane, Channel channel) {
            this.lane = lane;
            this.channel = channel;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            lane.all.add(this);
            if (lane.target.ssl == null) {
                lane.free(this);
            }
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent done) {
                if (done.isSuccess()) {
                    lane.free(this);
                } else {
                    ctx.close();
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        void write(Request request) {
            current = request;
            request.since = System.nanoTime();
            // when the request leaves: the late audit times its events by this, not by the schedule or the hand-over
            request.wireMs = System.currentTimeMillis();
            ByteBuf tail = channel.alloc().directBuffer(16 + ByteBufUtil.utf8MaxBytes(request.body));
            int lengthAt = tail.writerIndex();
            tail.writerIndex(lengthAt + 10).writeBytes(CRLF_CRLF);
            int length = ByteBufUtil.writeUtf8(tail, request.body);
            // the length's digits right-aligned in the 10 reserved bytes; the head starts at the first digit
            int end = lengthAt + 10;
            int at = end;
            int n = length;
            do {
                tail.setByte(--at, '0' + n % 10);
                n /= 10;
            } while (n > 0);
            tail.readerIndex(at);
            channel.write(lane.head(request.head), channel.voidPromise());
            channel.writeAndFlush(tail, channel.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse response) {
                    status = response.status().code();
                    retryAfter = response.headers().get(HttpHeaderNames.RETRY_AFTER);
                    keepAlive = HttpUtil.isKeepAlive(response);
                    // a 207 and the refusals need their body read (which events, why); the others only their status
                    if (status == 207 || status == 503 || status == 429) {
                        body = ctx.alloc().heapBuffer();
                    }
                }
                if (msg instanceof HttpContent content) {
                    if (body != null) {
                        body.writeBytes(content.content());
                    }
                    if (msg instanceof LastHttpContent) {
                        answered();
                    }
                }
            } finally {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        private void answered() {
            Request request = current;
            current = null;
            String text = "";
            if (body != null) {
                text = body.toString(StandardCharsets.UTF_8);
                body.release();
                body = null;
            }
            if (request == null) {
                return;
            }
            SendResult result = GatewayResponses.read(request.events, status, text, retryAfter)
                    .withWireMs(request.wireMs);
            if (keepAlive) {
                lane.free(this);
            } else {
                channel.close();
            }
            request.answer.complete(result);
        }

        void fail(Throwable error) {
            Request request = current;
            current = null;
            if (request != null) {
                request.fail(error);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (body != null) {
                body.release();
                body = null;
            }
            fail(new IOException("connection closed before the answer"));
            lane.gone(this);
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
            ctx.close();
        }
    }
}
