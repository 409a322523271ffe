package dev.pgchatops.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The figures of one run: each with its baseline (measured in the same run) and its target; printed and saved. */
final class Results {
    private final ObjectNode json = new ObjectMapper().createObjectNode();
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final ObjectNode notMeasured = json.putObject("not_measured");

    Results(String machine, String date) {
        json.put("machine", machine);
        json.put("date", date);
    }

    void put(String key, double value) {
        json.put(key, Math.round(value * 1000) / 1000.0);
    }

    /** One table row: what, the figure, its baseline (or "-"), the ratio, the target and whether it is met. */
    void row(String what, String figure, String baseline, String ratio, String target, boolean met) {
        rows.add(new String[]{what, figure, baseline, ratio, target, met ? "yes" : "NO"});
    }

    /** A line printed under the table (what was measured how, what went wrong on the side). */
    void note(String line) {
        notes.add(line);
    }

    /** A figure that could not be measured honestly: printed and saved with why, never a value. */
    void notMeasured(String key, String why) {
        notMeasured.put(key, why);
        rows.add(new String[]{key, "not measured: " + why, "-", "-", "-", "-"});
    }

    void print(PrintStream out) {
        String[] head = {"figure", "measured", "baseline (same run)", "ratio", "target", "met"};
        int[] w = new int[head.length];
        for (int i = 0; i < w.length; i++) w[i] = head[i].length();
        for (String[] r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder fmt = new StringBuilder();
        for (int x : w) fmt.append("| %-").append(x).append("s ");
        fmt.append("|%n");
        out.printf(fmt.toString(), (Object[]) head);
        StringBuilder sep = new StringBuilder();
        for (int x : w) sep.append("|").append("-".repeat(x + 2));
        out.println(sep.append("|"));
        for (String[] r : rows) out.printf(fmt.toString(), (Object[]) r);
        for (String n : notes) out.println("note: " + n);
    }

    void save(Path file) throws IOException {
        if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, json.toPrettyString() + "\n");
    }

    static String ms(double v) {
        return String.format("%.2f ms", v);
    }
}
