package dev.ministramanager.persistence;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Database reads a node remembers for a short time, for data asked on every request or push but rarely changed.
 * A change made on this node ({@link #forgetAll}) applies at once, also to a read running meanwhile; a change made on
 * another node shows once the remembered read is older than the freshness.
 */
public final class RecentReads<K, V> {

    private record Read<V>(V value, long readAtNanos, long changes) {
    }

    private final ConcurrentHashMap<K, Read<V>> reads = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();
    private final long freshNanos;

    public RecentReads(Duration freshness) {
        this.freshNanos = freshness.toNanos();
    }

    /** The value read for {@code key} within the freshness, or {@code read}'s, remembered unless null. */
    public V get(K key, Function<K, V> read) {
        Read<V> known = reads.get(key);
        if (known != null && known.changes() == changes.get() && System.nanoTime() - known.readAtNanos() < freshNanos) {
            return known.value();
        }
        long changesBefore = changes.get();
        long readAt = System.nanoTime();
        V value = read.apply(key);
        if (value == null) {
            reads.remove(key);
        } else {
            reads.put(key, new Read<>(value, readAt, changesBefore));
        }
        return value;
    }

    /** Something changed here: read everything again. */
    public void forgetAll() {
        changes.incrementAndGet();
        reads.clear();
    }
}
