package dev.pgchatops.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load side of an ack figure: {@code n} HTTP/1.1 requests written at once on {@code n} connections opened
 * beforehand (connection setup is outside the measurement, for the adapter and the baseline alike), one thread per
 * connection parked in a read. Each request's time runs from just before its bytes are written to when the first
 * bytes of the answer arrive; the rest of the answer is read afterwards to check the status. No shared client
 * machinery (selector thread, executor queue) sits between the clock and the socket.
 */
final class AckClient {
    /** One request: its raw bytes. */
    record Req(byte[] bytes) {
        static Req post(URI target, List<String[]> headers, String body) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder s = new StringBuilder("POST ").append(target.getRawPath()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(target.getHost()).append(':').append(target.getPort()).append("\r\n");
            for (String[] h : headers) s.append(h[0]).append(": ").append(h[1]).append("\r\n");
            s.append("Content-Length: ").append(b.length).append("\r\n\r\n");
            byte[] head = s.toString().getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[head.length + b.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(b, 0, all, head.length, b.length);
            return new Req(all);
        }
    }

    /** An answer that was not 200, or none. */
    static final class AckFailed extends Exception {
        AckFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private AckClient() {
    }

    /** Sends all {@code reqs} at once to {@code target}; each one's nanos from write to the answer's first byte. */
    static List<Long> batch(URI target, List<Req> reqs, long timeoutMs) throws Exception {
        int n = reqs.size();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Socket s = new Socket();
                s.setTcpNoDelay(true);
                s.setSoTimeout((int) timeoutMs);
                s.connect(new InetSocketAddress(target.getHost(), target.getPort()), 5000);
                sockets.add(s);
            }
            long[] nanos = new long[n];
            AtomicReference<Exception> failed = new AtomicReference<>();
            CountDownLatch parked = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                Thread t = new Thread(() -> {
                    try {
                        Socket s = sockets.get(k);
                        OutputStream out = s.getOutputStream();
                        InputStream in = new BufferedInputStream(s.getInputStream());
                        parked.countDown();
                        go.await();
                        long t0 = System.nanoTime();
                        out.write(reqs.get(k).bytes());
                        out.flush();
                        int first = in.read();
                        nanos[k] = System.nanoTime() - t0;
                        if (first < 0) throw new AckFailed("POST " + target + ": connection closed without an answer", null);
                        String status = (char) first + readLine(in);
                        if (!status.startsWith("HTTP/1.1 200")) throw new AckFailed("POST " + target + ": " + status, null);
                        long length = 0;
                        for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
                            if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Long.parseLong(h.substring(15).strip());
                        }
                        in.skipNBytes(length);
                    } catch (Exception e) {
                        failed.compareAndSet(null, e);
                    } finally {
                        done.countDown();
                    }
                }, "ack-client-" + i);
                t.setDaemon(true);
                t.start();
            }
            if (!parked.await(timeoutMs, TimeUnit.MILLISECONDS)) throw new AckFailed("client threads did not start", null);
            go.countDown();
            if (!done.await(timeoutMs, TimeUnit.MILLISECONDS)) throw new AckFailed("no answer within " + timeoutMs + " ms", null);
            if (failed.get() != null) throw new AckFailed("a request failed: " + failed.get().getMessage(), failed.get());
            List<Long> out = new ArrayList<>(n);
            for (long x : nanos) out.add(x);
            return out;
        } finally {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing after the batch
                }
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') b.append((char) c);
        }
        return b.toString();
    }
}
