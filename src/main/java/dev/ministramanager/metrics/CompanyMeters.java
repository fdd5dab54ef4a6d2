package dev.ministramanager.metrics;

/** Metrics with a {@code company} tag: they register every series of a company at zero before its first event. */
public interface CompanyMeters {

    /** Registers every series of this company (idempotent: a series registered before keeps its value). */
    void registerCompany(long companyId);
}
