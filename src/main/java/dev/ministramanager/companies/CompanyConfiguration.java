package dev.ministramanager.companies;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.ministra.MinistraRequests;
import dev.ministramanager.ministra.MinistraResponses;
import dev.ministramanager.security.ApiUsers;
import dev.ministramanager.security.SecretCipher;
import dev.ministramanager.tariffs.ActiveTariffPlans;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** Companies, the audit trail they write to, and the Ministra client beans that reach each company's Ministra. */
public class CompanyConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) {
        Registry registry = camel.getRegistry();
        DataSource dataSource = registry.lookupByNameAndType("dataSource", DataSource.class);
        ObjectMapper json = registry.lookupByNameAndType("json", ObjectMapper.class);
        AuditTrail audit = registry.lookupByNameAndType("auditTrail", AuditTrail.class);
        Companies companies = new Companies(dataSource, registry.lookupByNameAndType("secretCipher",
                SecretCipher.class), audit, registry.lookupByNameAndType("apiUsers", ApiUsers.class)::companiesChanged);
        registry.bind("companies", companies);
        registry.bind("connectionTests", new ConnectionTests(companies, audit));
        ActiveTariffPlans activeTariffPlans = new ActiveTariffPlans(dataSource);
        registry.bind("activeTariffPlans", activeTariffPlans);
        registry.bind("ministraRequests", new MinistraRequests(companies, activeTariffPlans,
                Integer.parseInt(camel.resolvePropertyPlaceholders("{{mm.ministra.connections-per-company}}"))));
        registry.bind("ministraResponses", new MinistraResponses(json));
    }
}
