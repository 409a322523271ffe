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
 * reads the request headers and then closes the connection without a response, or ({@link #stallingBody()}) reads
 * the request, sends the response headers and the first byte of the body, and then stalls; {@link #clientClosed}
 * counts the connections the client closed while stalled.
 */
public final class SilentServer implements AutoCloseable {
    private final ServerSocket socket;
    private final boolean dropAfterHeaders;
    private final boolean stallBody;
    public final java.util.concurrent.Semaphore clientClosed = new java.util.concurrent.Semaphore(0);
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    public final AtomicInteger accepted = new AtomicInteger();
    public final List<String> requestHeads = new CopyOnWriteArrayList<>();

    public SilentServer() throws IOException {
        this(false);
    }

    public SilentServer(boolean dropAfterHeaders) throws IOException {
        this(dropAfterHeaders, false);
    }

    /** Answers "200 OK" with a Content-Length of 1000, sends one byte of the body and stalls. */
    public static SilentServer stallingBody() throws IOException {
        return new SilentServer(false, true);
    }

    private SilentServer(boolean dropAfterHeaders, boolean stallBody) throws IOException {
        this.dropAfterHeaders = dropAfterHeaders;
        this.stallBody = stallBody;
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
            if (stallBody) {
                Thread st = new Thread(() -> stall(s), "silent-server-stall");
                st.setDaemon(true);
                st.start();
            } else if (dropAfterHeaders) {
                try (s) {
                    requestHeads.add(readHead(s.getInputStream()));
                } catch (IOException ignored) {
                    // the client gave up first
                }
            }
        }
    }

    private void stall(Socket s) {
        try {
            InputStream in = s.getInputStream();
            requestHeads.add(readHead(in));
            s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            // Drain whatever the client still sends (a request body); end of stream = the client closed.
            while (in.read() >= 0) {
                // keep reading
            }
            clientClosed.release();
        } catch (IOException e) {
            if (!socket.isClosed()) clientClosed.release(); // reset by the client
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
