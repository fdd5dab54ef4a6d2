package dev.ministramanager.tariffs;

import java.time.OffsetDateTime;

/**
 * One sync of one company's catalogue while it runs: carried through the {@code tariffs-sync} route in a variable,
 * then stored in {@code tariff_sync_run}.
 */
public final class SyncRun {

    public enum Outcome {
        RUNNING, SUCCEEDED, FAILED, HELD;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What a successful sync changed. */
    public record Counts(int created, int updated, int archived, int unchanged, int skipped) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0);
    }

    private final long id;
    private final long companyId;
    private final String trigger;
    private final String actor;
    private final OffsetDateTime startedAt;
    private int attempts;
    private Outcome outcome = Outcome.RUNNING;
    private Counts counts = Counts.NONE;
    private String errorKind;
    private String errorDetail;

    SyncRun(long id, long companyId, String trigger, String actor, OffsetDateTime startedAt) {
        this.id = id;
        this.companyId = companyId;
        this.trigger = trigger;
        this.actor = actor;
        this.startedAt = startedAt;
    }

    void attempted() {
        attempts++;
    }

    void succeeded(Counts changes) {
        outcome = Outcome.SUCCEEDED;
        counts = changes;
    }

    void ended(Outcome result, String kind, String detail) {
        outcome = result;
        errorKind = kind;
        errorDetail = detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 1999) + "…";
    }

    public long id() {
        return id;
    }

    public long companyId() {
        return companyId;
    }

    public String trigger() {
        return trigger;
    }

    public String actor() {
        return actor;
    }

    public OffsetDateTime startedAt() {
        return startedAt;
    }

    public int attempts() {
        return attempts;
    }

    public Outcome outcome() {
        return outcome;
    }

    public Counts counts() {
        return counts;
    }

    public String errorKind() {
        return errorKind;
    }

    public String errorDetail() {
        return errorDetail;
    }

    @Override
    public String toString() {
        return "SyncRun[id=" + id + ", company=" + companyId + ", " + outcome.id() + "]";
    }
}
