package dev.ministramanager.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The active fault rules of a simulator, in the order they were added. Thread-safe. Rules apply to the Ministra
 * API only, never to the {@code /_sim/} control API.
 */
public final class Faults {

    /** An active rule. {@code remaining} is 0 for unlimited; {@code until} null for "until removed". */
    public record ActiveFault(long id, Fault fault, int remaining, Instant until) {
    }

    /** What the active rules decide for one request. */
    record Plan(Duration latency, int capacity, Fault response) {
        static final Plan NONE = new Plan(Duration.ZERO, 0, null);
    }

    /** Told when the listening socket must close (an outage starts) or may open again. */
    interface OutageListener {
        void outageChanged(boolean active, Duration window);
    }

    private final Clock clock;
    private final List<Rule> rules = new ArrayList<>();
    private long nextId = 1;
    private OutageListener outageListener = (active, window) -> { };
    private volatile boolean empty = true;

    Faults(Clock clock) {
        this.clock = clock;
    }

    private static final class Rule {
        final long id;
        final Fault fault;
        int remaining;
        final Instant until;

        Rule(long id, Fault fault, Instant until) {
            this.id = id;
            this.fault = fault;
            this.remaining = fault.times();
            this.until = until;
        }
    }

    void outageListener(OutageListener listener) {
        this.outageListener = listener;
    }

    /** Activates a rule; returns its id (for {@link #remove}). */
    public long add(Fault fault) {
        Rule rule;
        synchronized (this) {
            Instant until = fault.lasting() == null ? null : clock.instant().plus(fault.lasting());
            rule = new Rule(nextId++, fault, until);
            rules.add(rule);
            empty = false;
        }
        if (fault.kind() == Fault.Kind.OUTAGE) {
            outageListener.outageChanged(true, fault.lasting());
        }
        return rule.id;
    }

    public boolean remove(long id) {
        boolean removed;
        boolean outageEnded;
        synchronized (this) {
            removed = rules.removeIf(r -> r.id == id);
            outageEnded = removed && !outageActive();
            empty = rules.isEmpty();
        }
        if (outageEnded) {
            outageListener.outageChanged(false, null);
        }
        return removed;
    }

    /** Removes every rule; an outage ends at once. */
    public void clear() {
        boolean hadOutage;
        synchronized (this) {
            hadOutage = outageActive();
            rules.clear();
            empty = true;
        }
        if (hadOutage) {
            outageListener.outageChanged(false, null);
        }
    }

    public synchronized List<ActiveFault> list() {
        expire();
        List<ActiveFault> active = new ArrayList<>(rules.size());
        for (Rule rule : rules) {
            active.add(new ActiveFault(rule.id, rule.fault, rule.remaining, rule.until));
        }
        return active;
    }

    /**
     * Drops expired rules; answers how long the remaining outage rules still last (zero when none is left, null
     * when one lasts until removed).
     */
    synchronized Duration endExpiredOutages() {
        expire();
        empty = rules.isEmpty();
        Instant now = clock.instant();
        Duration longest = Duration.ZERO;
        for (Rule rule : rules) {
            if (rule.fault.kind() == Fault.Kind.OUTAGE) {
                if (rule.until == null) {
                    return null;
                }
                Duration left = Duration.between(now, rule.until);
                longest = left.compareTo(longest) > 0 ? left : longest;
            }
        }
        return longest;
    }

    /** Picks (and uses up) the rules that apply to one API request. */
    Plan plan(String method, String resource) {
        if (empty) {
            return Plan.NONE;
        }
        synchronized (this) {
            expire();
            Duration latency = Duration.ZERO;
            int capacity = 0;
            Fault response = null;
            Iterator<Rule> it = rules.iterator();
            while (it.hasNext()) {
                Rule rule = it.next();
                Fault fault = rule.fault;
                if (fault.kind() == Fault.Kind.OUTAGE || !fault.matches(method, resource)
                        || (fault.shapesResponse() && response != null)
                        || ThreadLocalRandom.current().nextDouble() >= fault.probability()) {
                    continue;
                }
                switch (fault.kind()) {
                    case LATENCY -> latency = latency.plus(fault.delay()).plusNanos(fault.jitter().isZero() ? 0
                            : ThreadLocalRandom.current().nextLong(fault.jitter().toNanos() + 1));
                    case CAPACITY -> capacity = capacity == 0 ? fault.limit() : Math.min(capacity, fault.limit());
                    default -> response = fault;
                }
                if (rule.remaining > 0 && --rule.remaining == 0) {
                    it.remove();
                }
            }
            empty = rules.isEmpty();
            return new Plan(latency, capacity, response);
        }
    }

    private void expire() {
        Instant now = clock.instant();
        rules.removeIf(r -> r.until != null && !r.until.isAfter(now));
    }

    private boolean outageActive() {
        for (Rule rule : rules) {
            if (rule.fault.kind() == Fault.Kind.OUTAGE) {
                return true;
            }
        }
        return false;
    }
}
