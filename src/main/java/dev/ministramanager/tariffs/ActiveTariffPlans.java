package dev.ministramanager.tariffs;

import java.time.Duration;

import javax.sql.DataSource;

import dev.ministramanager.ministra.KnownTariffs;
import dev.ministramanager.persistence.RecentReads;
import dev.ministramanager.persistence.SqlStatements;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The known-tariff guardrail's view of the synced catalogue: plans that Ministra listed in the last sync. Every
 * account write asks, so a plan found active is remembered for a second; a sync on this node forgets at once, and
 * one on another node shows within that second (the catalogue itself is as old as the last sync). A plan not found
 * is always looked up again.
 */
public class ActiveTariffPlans implements KnownTariffs {

    private static final String ACTIVE_PLAN_COUNT = SqlStatements.load("tariffs-active-plan-count");

    private record Plan(long companyId, String externalId) {
    }

    private final JdbcTemplate jdbc;
    /** Plans found active (a plan not found is not remembered). */
    private final RecentReads<Plan, Boolean> found = new RecentReads<>(Duration.ofSeconds(1));

    public ActiveTariffPlans(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public boolean isActivePlan(long companyId, String externalId) {
        return found.get(new Plan(companyId, externalId), plan -> {
            Integer count = jdbc.queryForObject(ACTIVE_PLAN_COUNT, Integer.class, plan.companyId(),
                    plan.externalId());
            return count != null && count > 0 ? Boolean.TRUE : null;
        }) != null;
    }

    /** A sync changed the catalogue: look every plan up again. */
    void forgetAll() {
        found.forgetAll();
    }
}
