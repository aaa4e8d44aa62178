package dev.ember.data.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on 127.0.0.1 serving generated files, for testing downloads without the network.
 * Supports range requests and can fail the first requests (HTTP 500) or cut them short.
 */
public final class LoopbackServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger truncationsLeft = new AtomicInteger();
    /** Every request as "path range" (range "-" when none). */
    public final List<String> requests = new CopyOnWriteArrayList<>();

    public LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL, ending in '/'. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    public LoopbackServer serve(String name, byte[] content) {
        files.put(name, content);
        return this;
    }

    /** The next {@code n} requests get HTTP 500. */
    public LoopbackServer failNext(int n) {
        failuresLeft.set(n);
        return this;
    }

    /** The next {@code n} requests send only half the body, then close the connection. */
    public LoopbackServer truncateNext(int n) {
        truncationsLeft.set(n);
        return this;
    }

    private void handle(HttpExchange ex) throws IOException {
        String name = ex.getRequestURI().getPath().substring(1);
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(name + " " + (range == null ? "-" : range));
        try (ex) {
            byte[] body = files.get(name);
            if (failuresLeft.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
                ex.sendResponseHeaders(500, -1);
                return;
            }
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            int start = 0;
            int status = 200;
            if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
                start = Integer.parseInt(range.substring(6, range.length() - 1));
                if (start >= body.length) {
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                status = 206;
                ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
            }
            int length = body.length - start;
            ex.sendResponseHeaders(status, length);
            OutputStream out = ex.getResponseBody();
            if (truncationsLeft.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
                out.write(body, start, length / 2);
                out.flush();
                throw new IOException("simulated dropped connection");
            }
            out.write(body, start, length);
        } catch (IOException e) {
            // The client sees a short body.
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
