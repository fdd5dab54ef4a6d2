package dev.ministramanager.tariffs;

/**
 * Ministra answered, but the answer must not change the local catalogue: it is not a plan listing (the run failed),
 * or it looks like one but is suspicious (the run is held: PHP printed warnings into it, or it would archive too
 * many plans at once). Either way nothing is written.
 */
public class CatalogueRefused extends RuntimeException {

    private final String reason;
    private final boolean held;

    private CatalogueRefused(String reason, String detail, boolean held) {
        super(detail, null, false, false);
        this.reason = reason;
        this.held = held;
    }

    static CatalogueRefused failed(String reason, String detail) {
        return new CatalogueRefused(reason, detail, false);
    }

    static CatalogueRefused held(String reason, String detail) {
        return new CatalogueRefused(reason, detail, true);
    }

    /** The classified reason, e.g. {@code listing_not_a_list} or {@code archive_share_exceeded}. */
    public String reason() {
        return reason;
    }

    public boolean isHeld() {
        return held;
    }
}
