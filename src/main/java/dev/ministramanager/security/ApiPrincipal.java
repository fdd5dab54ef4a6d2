package dev.ministramanager.security;

import java.util.Set;

/** The authenticated caller of one request: who, with which role, seeing which companies. */
public record ApiPrincipal(long userId, String username, Role role, boolean allCompanies, Set<Long> companyIds) {

    public boolean sees(long companyId) {
        return allCompanies || companyIds.contains(companyId);
    }
}
