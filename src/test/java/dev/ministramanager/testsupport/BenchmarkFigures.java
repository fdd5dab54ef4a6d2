package dev.ministramanager.testsupport;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Where a benchmark puts each figure it measures beside its goal: printed, and appended as one tab-separated line to
 * {@code target/benchmark-figures.tsv}, from which the benchmark suite writes BENCHMARKS.md. Columns: benchmark,
 * figure, value, unit, goal (text, empty when the figure has none), met ({@code met}, {@code missed} or {@code -}),
 * load average when recorded.
 */
public final class BenchmarkFigures {

    public static final Path FILE = Path.of("target", "benchmark-figures.tsv");

    private BenchmarkFigures() {
    }

    /** A figure with a goal; {@code met} says whether this run reached it. */
    public static void record(String benchmark, String figure, double value, String unit, String goal, boolean met) {
        write(benchmark, figure, value, unit, goal, met ? "met" : "missed");
    }

    /** A figure measured for the record, without a goal of its own. */
    public static void record(String benchmark, String figure, double value, String unit) {
        write(benchmark, figure, value, unit, "", "-");
    }

    private static synchronized void write(String benchmark, String figure, double value, String unit, String goal,
            String met) {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String line = String.join("\t", clean(benchmark), clean(figure),
                String.format(Locale.ROOT, "%.3f", value), clean(unit), clean(goal), met,
                String.format(Locale.ROOT, "%.1f", load));
        System.out.printf(Locale.ROOT, "  [figure] %s / %s: %,.3f %s%s (load %.1f)%n", benchmark, figure, value, unit,
                goal.isEmpty() ? "" : " (goal " + goal + ": " + met + ")", load);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot record a benchmark figure in " + FILE, e);
        }
    }

    private static String clean(String text) {
        return text.replace('\t', ' ').replace('\n', ' ');
    }
}
