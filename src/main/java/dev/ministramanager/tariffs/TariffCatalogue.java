package dev.ministramanager.tariffs;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.ministramanager.events.EventOutbox;
import dev.ministramanager.persistence.SqlStatements;
import dev.ministramanager.tariffs.TariffListing.Plan;
import dev.ministramanager.tariffs.TariffListing.PlanPackage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a company's tariff listing to the local catalogue in one transaction: plans are upserted by external id,
 * plans that Ministra no longer lists are archived (never deleted, accounts keep referencing them) and an archived
 * plan that is listed again becomes active again. A listing that would archive more than the allowed share of the
 * active plans is held instead, and nothing changes.
 */
class TariffCatalogue {

    private static final String LOCK_COMPANY = SqlStatements.load("tariffs-lock-company");
    private static final String ARCHIVE_PLAN = SqlStatements.load("tariffs-plan-archive");
    private static final String PLANS = SqlStatements.load("tariffs-catalogue-plans");
    private static final String PACKAGES = SqlStatements.load("tariffs-catalogue-packages");
    private static final String INSERT_PLAN = SqlStatements.load("tariffs-plan-insert");
    private static final String PLAN_ID = SqlStatements.load("tariffs-plan-id");
    private static final String UPDATE_PLAN = SqlStatements.load("tariffs-plan-update");
    private static final String DELETE_PACKAGES = SqlStatements.load("tariffs-packages-delete");
    private static final String INSERT_PACKAGE = SqlStatements.load("tariffs-package-insert");

    /** What the sync changed, by plan external id, for the audit trail. */
    record Changes(SyncRun.Counts counts, List<String> created, List<String> updated, List<String> restored,
                   List<String> archived) {
    }

    private record StoredPlan(long id, String externalId, String remoteId, String name, boolean userDefault,
                              Integer daysToExpires, boolean archived) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final double maxArchiveShare;
    private final EventOutbox events;

    TariffCatalogue(DataSource dataSource, double maxArchiveShare, EventOutbox events) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.maxArchiveShare = maxArchiveShare;
        this.events = events;
    }

    Changes apply(long companyId, TariffListing listing) {
        return transaction.execute(status -> {
            // one sync per company at a time, on any node: a concurrent one waits here and then sees our result
            jdbc.queryForList(LOCK_COMPANY, Long.class, companyId);
            Map<String, StoredPlan> stored = storedPlans(companyId);
            Map<Long, List<PlanPackage>> storedPackages = storedPackages(companyId);

            Set<String> listed = listing.plans().stream().map(Plan::externalId).collect(Collectors.toSet());
            List<StoredPlan> active = stored.values().stream().filter(plan -> !plan.archived()).toList();
            List<StoredPlan> missing = active.stream().filter(plan -> !listed.contains(plan.externalId())).toList();
            if (!missing.isEmpty() && missing.size() > maxArchiveShare * active.size()) {
                throw CatalogueRefused.held("archive_share_exceeded", "The listing would archive " + missing.size()
                        + " of " + active.size() + " active plans (more than mm.tariffs.max-archive-share = "
                        + maxArchiveShare + "); nothing was archived. Missing: " + externalIds(missing));
            }

            List<String> created = new ArrayList<>();
            List<String> updated = new ArrayList<>();
            List<String> restored = new ArrayList<>();
            int unchanged = 0;
            for (Plan plan : listing.plans()) {
                StoredPlan existing = stored.get(plan.externalId());
                if (existing == null) {
                    insert(companyId, plan);
                    created.add(plan.externalId());
                } else if (differs(existing, plan, storedPackages.getOrDefault(existing.id(), List.of()))) {
                    update(existing, plan);
                    (existing.archived() ? restored : updated).add(plan.externalId());
                } else {
                    unchanged++;
                }
            }
            for (StoredPlan plan : missing) {
                jdbc.update(ARCHIVE_PLAN, plan.id());
            }
            SyncRun.Counts counts = new SyncRun.Counts(created.size(), updated.size() + restored.size(),
                    missing.size(), unchanged, listing.skipped());
            events.tariffsChanged(companyId, created, updated, restored, externalIds(missing));
            return new Changes(counts, created, updated, restored, externalIds(missing));
        });
    }

    private Map<String, StoredPlan> storedPlans(long companyId) {
        Map<String, StoredPlan> plans = new HashMap<>();
        jdbc.query(PLANS, (ResultSet rs) -> {
                    StoredPlan plan = new StoredPlan(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getBoolean(5), (Integer) rs.getObject(6, Integer.class), rs.getObject(7) != null);
                    plans.put(plan.externalId(), plan);
                }, companyId);
        return plans;
    }

    private Map<Long, List<PlanPackage>> storedPackages(long companyId) {
        Map<Long, List<PlanPackage>> packages = new LinkedHashMap<>();
        jdbc.query(PACKAGES, (ResultSet rs) -> {
                    packages.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>()).add(storedPackage(rs));
                }, companyId);
        return packages;
    }

    private static PlanPackage storedPackage(ResultSet rs) throws SQLException {
        return new PlanPackage(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getBigDecimal(6), rs.getBoolean(7), rs.getInt(8));
    }

    private static boolean differs(StoredPlan stored, Plan plan, List<PlanPackage> packages) {
        return stored.archived()
                || !stored.remoteId().equals(plan.remoteId())
                || !stored.name().equals(plan.name())
                || stored.userDefault() != plan.userDefault()
                || plan.daysToExpiresSent() && !Objects.equals(stored.daysToExpires(), plan.daysToExpires())
                || !samePackages(packages, plan.packages());
    }

    private static boolean samePackages(List<PlanPackage> stored, List<PlanPackage> listed) {
        if (stored.size() != listed.size()) {
            return false;
        }
        for (int i = 0; i < stored.size(); i++) {
            PlanPackage a = stored.get(i);
            PlanPackage b = listed.get(i);
            if (!a.externalId().equals(b.externalId()) || !a.remoteId().equals(b.remoteId())
                    || !a.name().equals(b.name()) || !a.type().equals(b.type()) || a.optional() != b.optional()
                    || a.position() != b.position() || !samePrice(a.price(), b.price())) {
                return false;
            }
        }
        return true;
    }

    private static boolean samePrice(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    private void insert(long companyId, Plan plan) {
        jdbc.update(INSERT_PLAN, companyId, plan.externalId(), plan.remoteId(), plan.name(),
                plan.userDefault(), plan.daysToExpires());
        long id = jdbc.queryForObject(PLAN_ID, Long.class, companyId, plan.externalId());
        insertPackages(id, plan.packages());
    }

    private void update(StoredPlan stored, Plan plan) {
        jdbc.update(UPDATE_PLAN, plan.remoteId(),
                plan.name(), plan.userDefault(), plan.daysToExpiresSent() ? plan.daysToExpires()
                        : stored.daysToExpires(), stored.id());
        // packages belong to their plan and nothing references their rows, so the plan's list is replaced whole
        jdbc.update(DELETE_PACKAGES, stored.id());
        insertPackages(stored.id(), plan.packages());
    }

    private void insertPackages(long planId, List<PlanPackage> packages) {
        for (PlanPackage pkg : packages) {
            jdbc.update(INSERT_PACKAGE, planId, pkg.externalId(),
                    pkg.remoteId(), pkg.name(), pkg.type(), pkg.price(), pkg.optional(), pkg.position());
        }
    }

    private static List<String> externalIds(List<StoredPlan> plans) {
        return plans.stream().map(StoredPlan::externalId).sorted().toList();
    }
}
