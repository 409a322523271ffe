package dev.pgchatops.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hung or broken Patroni over raw TCP: accepts connections and never answers, or (with {@code dropAfterHeaders})
 * reads the request headers and then closes the connection without a response.
 */
public final class SilentServer implements AutoCloseable {
    private final ServerSocket socket;
    private final boolean dropAfterHeaders;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    public final AtomicInteger accepted = new AtomicInteger();
    public final List<String> requestHeads = new CopyOnWriteArrayList<>();

    public SilentServer() throws IOException {
        this(false);
    }

    public SilentServer(boolean dropAfterHeaders) throws IOException {
        this.dropAfterHeaders = dropAfterHeaders;
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "silent-server");
        t.setDaemon(true);
        t.start();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            held.add(s);
            if (dropAfterHeaders) {
                try (s) {
                    requestHeads.add(readHead(s.getInputStream()));
                } catch (IOException ignored) {
                    // the client gave up first
                }
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) break;
        }
        return new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : held) s.close();
    }
}
