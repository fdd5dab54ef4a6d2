package dev.ministramanager.audit;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/** Binds the one audit trail as {@code auditTrail} (lazily: built at its first lookup). */
public class AuditConfiguration implements CamelConfiguration {

    @BindToRegistry(value = "auditTrail", lazy = true)
    public AuditTrail auditTrail(@BeanInject("dataSource") DataSource dataSource,
                                 @BeanInject("json") ObjectMapper json) {
        return new AuditTrail(dataSource, json);
    }
}
