package dev.pgchatops.core.watch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;

/**
 * The {@link WatchState} in {@code state-dir/watch-state.json}: read at start, written whole (temp file, fsync, atomic
 * rename) after every change, so a {@code kill -9} at any moment leaves either the old or the new state. All access
 * goes through {@link #change}, {@link #changeIf} and {@link #read}, which hold one lock. {@link #writes()} counts the
 * writes (a poll that changes nothing must not write: hundreds of clusters are polled every second).
 */
public final class StateStore {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    public static final String FILE = "watch-state.json";

    private final Path file;
    private final WatchState state;
    private long writes;

    private StateStore(Path file, WatchState state) {
        this.file = file;
        this.state = state;
    }

    /** Opens (creating the directory if needed) and reads the state; a missing file is an empty state. */
    public static StateStore open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve(FILE);
        WatchState s = Files.exists(f) ? JSON.readValue(f.toFile(), WatchState.class) : new WatchState();
        return new StateStore(f, s);
    }

    /** An in-memory store (tests that need no restart). */
    public static StateStore memory() {
        return new StateStore(null, new WatchState());
    }

    public Path file() {
        return file;
    }

    /** Runs {@code f} on the state under the lock and writes the state when it returns. */
    public synchronized <T> T change(Function<WatchState, T> f) {
        T out = f.apply(state);
        save();
        return out;
    }

    /**
     * Runs {@code f} on the state under the lock and writes the state only if {@code f} says it changed something
     * (returns true); returns what {@code f} returned.
     */
    public synchronized boolean changeIf(java.util.function.Predicate<WatchState> f) {
        boolean changed = f.test(state);
        if (changed) save();
        return changed;
    }

    /** How many times the state was written (counted also for the in-memory store). */
    public synchronized long writes() {
        return writes;
    }

    public synchronized <T> T read(Function<WatchState, T> f) {
        return f.apply(state);
    }

    private void save() {
        writes++;
        if (file == null) return;
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try {
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the alert state " + file + ": " + e.getMessage(), e);
        }
    }
}
