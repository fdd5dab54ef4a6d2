package dev.ministramanager.dashboard;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/**
 * The console dashboard's figures ({@code GET /dashboard}) and its sampling of boxes online. Bound lazily, as every
 * bean of a configuration class: built at its first lookup, once every configuration has bound its beans.
 */
public class DashboardConfiguration implements CamelConfiguration {

    @PropertyInject("mm.dashboard.sample-seconds")
    private long sampleSeconds;

    @BindToRegistry(value = "dashboard", lazy = true)
    public Dashboard dashboard(@BeanInject("dataSource") DataSource dataSource) {
        return new Dashboard(dataSource, Clock.systemUTC(), Duration.ofSeconds(sampleSeconds));
    }
}
