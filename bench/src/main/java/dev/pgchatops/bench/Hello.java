package dev.pgchatops.bench;

/** The start-up baseline: a JVM that prints "ready" on stderr and waits until its stdin closes (or it is stopped). */
public final class Hello {
    private Hello() {
    }

    public static void main(String[] args) throws Exception {
        System.err.println("hello: ready");
        System.err.flush();
        while (System.in.read() >= 0) {
            // wait for end of input
        }
    }
}
