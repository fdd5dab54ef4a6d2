package dev.ministramanager.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two ends of the benchmark suite ({@code ./mvnw -B -Pbenchmark verify}), run by exec-maven-plugin around the
 * benchmarks: {@code start} empties {@link BenchmarkFigures#FILE} and notes the time and load average before;
 * {@code finish} writes BENCHMARKS.md from the figures the benchmarks recorded: the date, the machine (cores, memory,
 * load average before and after) and each figure beside its goal. A run of chosen benchmarks ({@code -Dtest=...})
 * writes {@code target/BENCHMARKS.md} instead, so that the committed one always shows a whole suite.
 */
public final class BenchmarkSuite {

    private static final Pattern SUITE = Pattern.compile("<testsuite [^>]*>");
    private static final Pattern FAILED = Pattern.compile(" (?:failures|errors)=\"[1-9]");
    private static final Path STARTED = Path.of("target", "benchmark-suite-start.txt");

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length >= 1 && args[0].equals("start")) {
            Files.createDirectories(STARTED.getParent());
            Files.deleteIfExists(BenchmarkFigures.FILE);
            Files.writeString(STARTED, Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\t" + load(),
                    StandardCharsets.UTF_8);
        } else if (args.length >= 1 && args[0].equals("finish")) {
            // Maven passes "${test}" as it stands when no -Dtest was given
            boolean chosen = args.length >= 2 && !args[1].isBlank() && !args[1].startsWith("${");
            Path report = chosen ? Path.of("target", "BENCHMARKS.md") : Path.of("BENCHMARKS.md");
            Files.writeString(report, report(chosen ? args[1] : ""), StandardCharsets.UTF_8);
            System.out.println("Benchmark figures written to " + report.toAbsolutePath());
        } else {
            throw new IllegalArgumentException("usage: BenchmarkSuite start | finish [chosen tests]");
        }
    }

    private static String report(String chosen) throws IOException {
        String[] started = Files.exists(STARTED)
                ? Files.readString(STARTED, StandardCharsets.UTF_8).split("\t") : new String[] {"?", "?"};
        List<String> figures = Files.exists(BenchmarkFigures.FILE)
                ? Files.readAllLines(BenchmarkFigures.FILE, StandardCharsets.UTF_8) : List.of();
        StringBuilder text = new StringBuilder();
        text.append("# Benchmarks\n\n");
        text.append("Written by `./mvnw -B -Pbenchmark verify`").append(chosen.isEmpty() ? "" : " -Dtest=" + chosen)
                .append(" (see README, \"Benchmarks\"). Each benchmark shares the machine with PostgreSQL and with")
                .append(" whatever else ran: the load average is given beside every figure.\n\n");
        text.append(String.format(Locale.ROOT, "- Started: %s; finished: %s%n", started[0],
                Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        text.append(String.format(Locale.ROOT, "- Machine: %d cores, %s memory, %s; Java %s (%s)%n",
                Runtime.getRuntime().availableProcessors(), memory(), System.getProperty("os.name") + " "
                        + System.getProperty("os.arch"), System.getProperty("java.version"),
                System.getProperty("java.vm.name")));
        text.append(String.format(Locale.ROOT, "- Load average (1 min): %s before the suite, %s after it%n%n",
                started[1], load()));
        text.append("- Benchmarks that failed (an asserted goal missed, or an error; see the build output): ")
                .append(failedBenchmarks()).append("\n\n");
        text.append("| benchmark | figure | value | goal | met | load |\n|---|---|---:|---|---|---:|\n");
        for (String line : figures) {
            String[] column = line.split("\t", -1);
            if (column.length < 7) {
                continue;
            }
            text.append(String.format(Locale.ROOT, "| %s | %s | %s %s | %s | %s | %s |%n", column[0],
                    column[1].replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;"), value(column[2]),
                    column[3], column[4].isEmpty() ? "-" : column[4], column[5], column[6]));
        }
        if (figures.isEmpty()) {
            text.append("| (no figure was recorded) | | | | | |\n");
        }
        return text.toString();
    }

    /** The test classes whose surefire report of this run counts failures or errors. */
    private static String failedBenchmarks() throws IOException {
        Path reports = Path.of("target", "surefire-reports");
        if (!Files.isDirectory(reports)) {
            return "none";
        }
        List<String> failed;
        try (var files = Files.list(reports)) {
            failed = files.filter(file -> file.getFileName().toString().matches("TEST-.*\\.xml"))
                    .filter(file -> file.toFile().lastModified() >= STARTED.toFile().lastModified())
                    .filter(BenchmarkSuite::failedIn)
                    .map(file -> file.getFileName().toString().replaceAll("^TEST-(?:.*\\.)?([^.]+)\\.xml$", "$1"))
                    .sorted().toList();
        }
        return failed.isEmpty() ? "none" : String.join(", ", failed);
    }

    private static boolean failedIn(Path report) {
        try {
            Matcher suite = SUITE.matcher(Files.readString(report, StandardCharsets.UTF_8));
            return suite.find() && FAILED.matcher(suite.group()).find();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String value(String number) {
        double value = Double.parseDouble(number);
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.0f" : "%,.2f", value);
    }

    private static String load() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
    }

    private static String memory() throws IOException {
        Path meminfo = Path.of("/proc/meminfo");
        if (Files.exists(meminfo)) {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemTotal:")) {
                    long kilobytes = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format(Locale.ROOT, "%.1f GB", kilobytes / 1024.0 / 1024.0);
                }
            }
        }
        return "unknown";
    }
}
