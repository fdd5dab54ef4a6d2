package dev.ministramanager.tariffs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import dev.ministramanager.ministra.KnownTariffs;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The known-tariff guardrail's view of the synced catalogue: plans that Ministra listed in the last sync. Every
 * account write asks, so a plan found active is remembered for a second; a sync on this node forgets at once, and
 * one on another node shows within that second (the catalogue itself is as old as the last sync). A plan not found
 * is always looked up again.
 */
public class ActiveTariffPlans implements KnownTariffs {

    private static final long REMEMBER_NANOS = 1_000_000_000L;

    private record Plan(long companyId, String externalId) {
    }

    private final JdbcTemplate jdbc;
    private final Map<Plan, Long> foundAtNanos = new ConcurrentHashMap<>();

    public ActiveTariffPlans(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public boolean isActivePlan(long companyId, String externalId) {
        Plan plan = new Plan(companyId, externalId);
        Long foundAt = foundAtNanos.get(plan);
        if (foundAt != null && System.nanoTime() - foundAt < REMEMBER_NANOS) {
            return true;
        }
        long lookedUpAt = System.nanoTime();
        Integer found = jdbc.queryForObject("SELECT COUNT(*) FROM tariff_plan WHERE company_id = ? AND external_id = ?"
                + " AND archived_at IS NULL", Integer.class, companyId, externalId);
        boolean active = found != null && found > 0;
        if (active) {
            foundAtNanos.put(plan, lookedUpAt);
        } else {
            foundAtNanos.remove(plan);
        }
        return active;
    }

    /** A sync changed the catalogue: look every plan up again. */
    void forgetAll() {
        foundAtNanos.clear();
    }
}
