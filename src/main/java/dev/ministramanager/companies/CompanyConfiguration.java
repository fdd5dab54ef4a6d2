package dev.ministramanager.companies;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.ministra.MinistraRequests;
import dev.ministramanager.ministra.MinistraResponses;
import dev.ministramanager.security.ApiUsers;
import dev.ministramanager.security.SecretCipher;
import dev.ministramanager.tariffs.ActiveTariffPlans;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/**
 * Companies, and the Ministra client beans that reach each company's Ministra. Bound lazily: each bean is built at
 * its first lookup, once every configuration has bound its beans.
 */
public class CompanyConfiguration implements CamelConfiguration {

    @PropertyInject("mm.ministra.connections-per-company")
    private int connectionsPerCompany;
    @PropertyInject("mm.ministra.max-answer-bytes")
    private int maxAnswerBytes;

    @BindToRegistry(value = "companies", lazy = true)
    public Companies companies(@BeanInject("dataSource") DataSource dataSource, @BeanInject SecretCipher cipher,
                               @BeanInject AuditTrail audit, @BeanInject ApiUsers apiUsers) {
        return new Companies(dataSource, cipher, audit, apiUsers::companiesChanged);
    }

    @BindToRegistry(value = "connectionTests", lazy = true)
    public ConnectionTests connectionTests(@BeanInject Companies companies, @BeanInject AuditTrail audit) {
        return new ConnectionTests(companies, audit);
    }

    @BindToRegistry(value = "activeTariffPlans", lazy = true)
    public ActiveTariffPlans activeTariffPlans(@BeanInject("dataSource") DataSource dataSource) {
        return new ActiveTariffPlans(dataSource);
    }

    @BindToRegistry(value = "ministraRequests", lazy = true)
    public MinistraRequests ministraRequests(@BeanInject Companies companies,
                                             @BeanInject ActiveTariffPlans activeTariffPlans) {
        return new MinistraRequests(companies, activeTariffPlans, connectionsPerCompany);
    }

    @BindToRegistry(value = "ministraResponses", lazy = true)
    public MinistraResponses ministraResponses(@BeanInject("json") ObjectMapper json) {
        return new MinistraResponses(json, maxAnswerBytes);
    }
}
