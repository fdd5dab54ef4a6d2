package dev.ministramanager.events;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Forgets events older than {@code mm.events.retention-hours} (routes/webhooks-delivery.camel.yaml, hourly). */
public class EventRetention {

    private static final Logger LOG = LoggerFactory.getLogger(EventRetention.class);

    private final EventOutbox outbox;
    private final Duration retention;

    public EventRetention(EventOutbox outbox, Duration retention) {
        this.outbox = outbox;
        this.retention = retention;
    }

    public void purge() {
        int purged = outbox.purge(retention);
        if (purged > 0) {
            LOG.info("Forgot {} events older than {} hours", purged, retention.toHours());
        }
    }
}
