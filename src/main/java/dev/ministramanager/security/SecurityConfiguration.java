package dev.ministramanager.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.ministramanager.audit.AuditTrail;
import dev.ministramanager.api.JsonRequests;
import dev.ministramanager.persistence.DatabaseConfiguration;
import dev.ministramanager.startup.StartupWork;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.CamelContextHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret key, the API users and the gate every REST request passes. Also makes sure there is a first admin:
 * from {@code mm.bootstrap.admin-token} when set, or, in the embedded default only, a generated token printed once.
 */
public class SecurityConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);

    /** The names of secret settings: their last part ends in password, token, secret or secret-key. */
    private static final Pattern SECRET_SETTING = Pattern.compile("(?:^|\\.|-)(?:password|token|secret|secret-key)$");
    /** Flags about secrets, not secrets (generate-admin-token). */
    private static final Pattern SECRET_FLAG = Pattern.compile("\\.generate-[a-z-]+$");

    @PropertyInject("{{mm.secret-key:}}")
    private String configuredSecretKey;

    @PropertyInject("mm.secret-key-generate")
    private boolean generateSecretKey;

    @PropertyInject("mm.secret-key-file")
    private String secretKeyFile;

    @PropertyInject("mm.security.credential-cache-seconds")
    private long credentialCacheSeconds;

    @PropertyInject("mm.security.failed-auth-limit")
    private int failedAuthLimit;

    @PropertyInject("mm.security.failed-auth-limit-per-address")
    private int failedAuthLimitPerAddress;

    @PropertyInject("mm.security.failed-auth-window-seconds")
    private long failedAuthWindowSeconds;

    @PropertyInject("mm.console.session-idle-seconds")
    private long sessionIdleSeconds;

    @PropertyInject("{{mm.bootstrap.admin-token:}}")
    private String bootstrapAdminToken;

    @PropertyInject("mm.bootstrap.generate-admin-token")
    private boolean generateAdminToken;

    @BindToRegistry(value = "secretCipher", lazy = true)
    public SecretCipher secretCipher() {
        return new SecretCipher(secretKey());
    }

    @BindToRegistry(value = "apiUsers", lazy = true)
    public ApiUsers apiUsers(@BeanInject(DatabaseConfiguration.DATA_SOURCE) DataSource dataSource) {
        return new ApiUsers(dataSource);
    }

    @BindToRegistry(value = "consoleSessions", lazy = true)
    public ConsoleSessions consoleSessions(@BeanInject(DatabaseConfiguration.DATA_SOURCE) DataSource dataSource) {
        return new ConsoleSessions(dataSource, Duration.ofSeconds(sessionIdleSeconds), Clock.systemUTC());
    }

    @BindToRegistry(value = "apiGate", lazy = true)
    public ApiGate apiGate(@BeanInject ApiUsers users, @BeanInject AuditTrail audit,
                           @BeanInject JsonRequests jsonRequests, @BeanInject ConsoleSessions sessions) {
        FailedAuthentications failures = new FailedAuthentications(failedAuthLimit, failedAuthLimitPerAddress,
                Duration.ofSeconds(failedAuthWindowSeconds), Ticker.systemTicker(), audit);
        return new ApiGate(users, new VerifiedCredentials(Duration.ofSeconds(credentialCacheSeconds),
                Clock.systemUTC()), failures, jsonRequests, sessions);
    }

    @BindToRegistry(value = "consoleSignIn", lazy = true)
    public ConsoleSignIn consoleSignIn(@BeanInject ApiGate gate, @BeanInject ConsoleSessions sessions,
                                       @BeanInject AuditTrail audit) {
        return new ConsoleSignIn(gate, sessions, audit);
    }

    @BindToRegistry(value = "apiUserAdmin", lazy = true)
    public ApiUserAdmin apiUserAdmin(@BeanInject ApiUsers users, @BeanInject ApiGate gate,
                                     @BeanInject AuditTrail audit,
                                     @BeanInject(DatabaseConfiguration.DATA_SOURCE) DataSource dataSource) {
        return new ApiUserAdmin(users, gate, audit, dataSource);
    }

    @Override
    public void configure(CamelContext camel) {
        refuseUnmaskedSecretSettings(camel);
        // built now rather than at first use, so that a missing or malformed key stops the start at once
        camel.getRegistry().findSingleByType(SecretCipher.class);
        ApiUsers users = camel.getRegistry().findSingleByType(ApiUsers.class);
        String configured = bootstrapAdminToken.trim();
        if (!configured.isEmpty() && configured.length() < 16) {
            throw new IllegalStateException("mm.bootstrap.admin-token must be at least 16 characters");
        }
        try {
            // before any route starts, so that a verb without a role stops the start-up
            camel.addStartupListener((context, alreadyStarted) -> context.getRegistry()
                    .findSingleByType(ApiGate.class).useContracts(RestContracts.read(context)));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot register the REST contract reader", e);
        }
        // needs the database, so it runs once that is migrated, beside the loading of the routes
        StartupWork.begin(camel, "first-admin", () -> {
            ensureFirstAdmin(users, configured, generateAdminToken);
            return null;
        });
    }

    /**
     * Camel Main logs every property it was given at start-up, masking only the names it knows as sensitive; a new
     * secret setting whose name Camel does not know would be printed in clear at every start. So any {@code mm.}
     * setting named like a secret must be masked (camel.main.additional-sensitive-keywords), or the service stops.
     */
    private static void refuseUnmaskedSecretSettings(CamelContext camel) {
        for (String key : camel.getPropertiesComponent().loadProperties().stringPropertyNames()) {
            if (key.startsWith("mm.") && SECRET_SETTING.matcher(key).find() && !SECRET_FLAG.matcher(key).find()
                    && !CamelContextHelper.containsSensitive(camel, key)) {
                throw new IllegalStateException("Secret setting " + key + " would be logged in clear: add its last"
                        + " name part to camel.main.additional-sensitive-keywords");
            }
        }
    }

    private static void ensureFirstAdmin(ApiUsers users, String configured, boolean generate) {
        if (!configured.isEmpty()) {
            users.installBootstrapToken(configured);
            return;
        }
        if (users.anyEnabledAdmin()) {
            return;
        }
        if (!generate) {
            LOG.warn("There is no admin user: set MM_BOOTSTRAP_ADMIN_TOKEN to create one");
            return;
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String token = "boot-" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        users.installBootstrapToken(token);
        // Printed once on the console, never through a logger: this is the only place the token ever appears.
        System.out.println("\n=== ministra-manager: first admin created. Its API token (shown only this once):\n"
                + "    " + token + "\n=== Use it as 'Authorization: Bearer <token>'; keep it safe.\n");
    }

    private byte[] secretKey() {
        String configured = configuredSecretKey.trim();
        if (!configured.isEmpty()) {
            return decodeKey(configured, "mm.secret-key");
        }
        if (!generateSecretKey) {
            throw new IllegalStateException("mm.secret-key (MM_SECRET_KEY) is required: 32 random bytes, base64"
                    + " (e.g. 'openssl rand -base64 32'). It encrypts the Ministra and subscriber passwords at rest.");
        }
        Path file = Path.of(secretKeyFile);
        try {
            if (Files.exists(file)) {
                return decodeKey(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                LOG.debug("File system without POSIX permissions; {} keeps its default permissions", file);
            }
            LOG.info("Generated a new secret key in {}", file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the secret key file " + file, e);
        }
    }

    private static byte[] decodeKey(String base64, String source) {
        try {
            byte[] key = Base64.getDecoder().decode(base64);
            if (key.length == 32) {
                return key;
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below
        }
        throw new IllegalStateException(source + " must be 32 bytes encoded in base64");
    }

}
