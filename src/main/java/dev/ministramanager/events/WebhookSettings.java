package dev.ministramanager.events;

import java.time.Duration;

/** How webhooks are delivered (the mm.webhooks.* keys of config/application.properties). */
public record WebhookSettings(int workers, int perEndpoint, int batchSize, Duration connectTimeout,
                              Duration timeout, Duration lease, int maxAttempts, Duration retryInitialDelay,
                              double retryMultiplier, Duration retryMaxDelay, double retryJitter,
                              Duration disableAfter) {

    /**
     * The wait before retry number {@code attempts} (1 = first retry): exponential, capped, with jitter
     * ({@code random} in [0, 1) moves it up to {@code retryJitter} of itself either way).
     */
    public Duration retryDelay(int attempts, double random) {
        double base = retryInitialDelay.toMillis() * Math.pow(retryMultiplier, Math.max(0, attempts - 1));
        double capped = Math.min(base, retryMaxDelay.toMillis());
        double jittered = capped * (1 + retryJitter * (2 * random - 1));
        return Duration.ofMillis(Math.max(0, Math.round(jittered)));
    }
}
