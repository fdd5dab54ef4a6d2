package dev.ministramanager.stb;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import dev.ministramanager.audit.AuditTrail;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/** Binds the STB command beans with their guardrail settings (lazily: built at their first lookup). */
public class StbConfiguration implements CamelConfiguration {

    @PropertyInject("mm.stb.reboot-min-interval-seconds")
    private long rebootMinIntervalSeconds;
    @PropertyInject("mm.stb.ministra-watchdog-seconds")
    private long ministraWatchdogSeconds;
    @PropertyInject("mm.stb.bulk-max")
    private int bulkMax;

    @BindToRegistry(value = "stbCommands", lazy = true)
    public StbCommands stbCommands(@BeanInject("dataSource") DataSource dataSource, @BeanInject AuditTrail audit) {
        return new StbCommands(dataSource, audit, Clock.systemUTC(), Duration.ofSeconds(rebootMinIntervalSeconds),
                Duration.ofSeconds(ministraWatchdogSeconds), bulkMax);
    }

    @BindToRegistry(value = "stbRebootWaits", lazy = true)
    public StbRebootWaits stbRebootWaits(@BeanInject StbCommands commands) {
        return new StbRebootWaits(commands, Clock.systemUTC());
    }
}
