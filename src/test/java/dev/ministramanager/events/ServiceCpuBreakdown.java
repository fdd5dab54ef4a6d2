package dev.ministramanager.events;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Where this JVM's CPU time goes between two snapshots, by kind of work: the JVM's own threads (JIT compilers, garbage
 * collector) read from {@code /proc/self/task}, the Java threads by their names. A thread that starts or ends between
 * the snapshots counts only for what it used while alive at the second one; the rest is "other".
 */
final class ServiceCpuBreakdown {

    /** A kind of work and how its threads are recognised: by their Java name, or by the kernel's name of a JVM thread. */
    private record Kind(String name, Predicate<String> javaThread, Predicate<String> jvmThread) {
    }

    static final String JIT = "JIT compilers";
    private static final List<Kind> KINDS = List.of(
            new Kind(JIT, name -> false, comm -> comm.startsWith("C1 Compiler")
                    || comm.startsWith("C2 Compiler")),
            new Kind("garbage collector", name -> false, comm -> comm.startsWith("GC Thread")
                    || comm.startsWith("G1 ")),
            new Kind("REST API (creates)", name -> name.startsWith("vert.x-"), comm -> false),
            new Kind("push to Ministra", name -> name.contains("account-push"), comm -> false),
            new Kind("webhook claims and sends", name -> name.contains("webhook-delivery"), comm -> false),
            new Kind("batch recorders (pushes and deliveries)", name -> name.endsWith("- Aggregator")
                    || name.endsWith("AggregateTimeoutChecker"), comm -> false),
            new Kind("benchmark client", name -> name.startsWith("bench-client") || name.startsWith("HttpClient-"),
                    comm -> false));
    /** A tick of /proc's CPU times (USER_HZ, 100 on Linux). */
    static final long NANOS_PER_TICK = 1_000_000_000L / 100;

    private final Map<String, Long> nanosByKind;
    private final long processNanos;

    private ServiceCpuBreakdown(Map<String, Long> nanosByKind, long processNanos) {
        this.nanosByKind = nanosByKind;
        this.processNanos = processNanos;
    }

    static ServiceCpuBreakdown now() {
        Map<String, Long> byKind = new LinkedHashMap<>();
        KINDS.forEach(kind -> byKind.put(kind.name(), 0L));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            long nanos = threads.getThreadCpuTime(thread.getId());
            KINDS.stream().filter(kind -> kind.javaThread().test(thread.getName())).findFirst()
                    .ifPresent(kind -> byKind.merge(kind.name(), Math.max(0, nanos), Long::sum));
        }
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    String comm = Files.readString(task.resolve("comm")).trim();
                    KINDS.stream().filter(kind -> kind.jvmThread().test(comm)).findFirst().ifPresent(kind -> {
                        try {
                            // utime and stime
                            byKind.merge(kind.name(), ticks(Files.readString(task.resolve("stat")), 14, 15)
                                    * NANOS_PER_TICK, Long::sum);
                        } catch (IOException ended) {
                            // the thread ended meanwhile
                        }
                    });
                } catch (IOException ended) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException noProc) {
            // not Linux: the JVM's own threads fall under "other"
        }
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new ServiceCpuBreakdown(byKind, process);
    }

    /**
     * The sum of fields {@code first} to {@code last} (numbered as in proc(5): utime 14, stime 15, cutime 16, cstime
     * 17) of a {@code /proc/<pid>/stat} line, counted after the command, which may hold spaces.
     */
    static long ticks(String stat, int first, int last) {
        // after the command's ")" comes field 3
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long sum = 0;
        for (int field = first; field <= last; field++) {
            sum += Long.parseLong(fields[field - 3]);
        }
        return sum;
    }

    /** The share of this JVM's CPU time since {@code before} that went to {@code kind}. */
    double shareSince(ServiceCpuBreakdown before, String kind) {
        return (double) (nanosByKind.get(kind) - before.nanosByKind.get(kind)) / (processNanos - before.processNanos);
    }

    /** Milliseconds of CPU per {@code units} by kind since {@code before}, the benchmark client's included. */
    Map<String, Double> millisPerUnitSince(ServiceCpuBreakdown before, int units) {
        Map<String, Double> perUnit = new LinkedHashMap<>();
        long known = 0;
        for (Map.Entry<String, Long> kind : nanosByKind.entrySet()) {
            long used = kind.getValue() - before.nanosByKind.get(kind.getKey());
            known += used;
            perUnit.put(kind.getKey(), used / 1e6 / units);
        }
        perUnit.put("other (Camel timers, pool, JFR, VM)", (processNanos - before.processNanos - known) / 1e6 / units);
        return perUnit;
    }
}
