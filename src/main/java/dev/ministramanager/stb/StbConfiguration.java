package dev.ministramanager.stb;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import dev.ministramanager.audit.AuditTrail;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** Binds the STB command beans with their guardrail settings. */
public class StbConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) {
        StbCommands commands = new StbCommands(
                camel.getRegistry().lookupByNameAndType("dataSource", DataSource.class),
                camel.getRegistry().lookupByNameAndType("auditTrail", AuditTrail.class),
                Clock.systemUTC(),
                Duration.ofSeconds(Long.parseLong(
                        camel.resolvePropertyPlaceholders("{{mm.stb.reboot-min-interval-seconds}}"))),
                Duration.ofSeconds(Long.parseLong(
                        camel.resolvePropertyPlaceholders("{{mm.stb.ministra-watchdog-seconds}}"))),
                Integer.parseInt(camel.resolvePropertyPlaceholders("{{mm.stb.bulk-max}}")));
        camel.getRegistry().bind("stbCommands", commands);
        camel.getRegistry().bind("stbRebootWaits", new StbRebootWaits(commands, Clock.systemUTC()));
    }
}
