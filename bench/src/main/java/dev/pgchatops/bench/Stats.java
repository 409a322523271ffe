package dev.pgchatops.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Samples of one figure in milliseconds: median and p99 (nearest rank). */
final class Stats {
    private final List<Double> ms = new ArrayList<>();

    void add(long nanos) {
        ms.add(nanos / 1e6);
    }

    int count() {
        return ms.size();
    }

    double median() {
        return percentile(50);
    }

    double p99() {
        return percentile(99);
    }

    double percentile(double p) {
        if (ms.isEmpty()) return Double.NaN;
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.size());
        return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
    }
}
