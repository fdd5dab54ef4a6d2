package dev.ministramanager.dashboard;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** The console dashboard's figures ({@code GET /dashboard}) and its sampling of boxes online. */
public class DashboardConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) {
        Duration samplePeriod = Duration.ofSeconds(Long.parseLong(
                camel.resolvePropertyPlaceholders("{{mm.dashboard.sample-seconds}}")));
        camel.getRegistry().bind("dashboard", new Dashboard(
                camel.getRegistry().lookupByNameAndType("dataSource", DataSource.class), Clock.systemUTC(),
                samplePeriod));
    }
}
