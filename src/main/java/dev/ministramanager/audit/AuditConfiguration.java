package dev.ministramanager.audit;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** Binds the one audit trail as {@code auditTrail}. */
public class AuditConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) {
        camel.getRegistry().bind("auditTrail", new AuditTrail(
                camel.getRegistry().lookupByNameAndType("dataSource", DataSource.class),
                camel.getRegistry().lookupByNameAndType("json", ObjectMapper.class)));
    }
}
