package dev.ministramanager.tariffs;

import javax.sql.DataSource;

import dev.ministramanager.ministra.KnownTariffs;
import org.springframework.jdbc.core.JdbcTemplate;

/** The known-tariff guardrail's view of the synced catalogue: plans that Ministra listed in the last sync. */
public class ActiveTariffPlans implements KnownTariffs {

    private final JdbcTemplate jdbc;

    public ActiveTariffPlans(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public boolean isActivePlan(long companyId, String externalId) {
        Integer found = jdbc.queryForObject("SELECT COUNT(*) FROM tariff_plan WHERE company_id = ? AND external_id = ?"
                + " AND archived_at IS NULL", Integer.class, companyId, externalId);
        return found != null && found > 0;
    }
}
