package dev.ministramanager.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of Ministra's {@code users} table: an account and its (at most one) box are the same row. Mutable, and
 * only ever touched while holding the {@link MinistraState} lock. {@code status} holds the database value, which is
 * the inverse of what the API shows (0 = enabled).
 */
final class Account {

    static final String ZERO_DATE = "0000-00-00 00:00:00";

    final long id;
    String login = "";
    String passwordHash = "";
    String fullName = "";
    String phone = "";
    String accountNumber = "";
    String mac = "";
    int status;
    long tariffPlanId;
    String comment;
    String expireBillingDate = ZERO_DATE;
    String accountBalance = "";
    String serialNumber = "";
    String stbType = "";
    String ip = "";
    String version = "";
    String lastActive = ZERO_DATE;
    String additionalServicesOn = "1";
    String accessToken = "";
    String deviceId = "";
    String deviceId2 = "";
    Instant keepAlive;
    final String created;
    /** Subscribed package ids, in subscription order (a 'single' package may appear more than once). */
    final List<String> subscribedPackageIds = new ArrayList<>();

    Account(long id, String created) {
        this.id = id;
        this.created = created;
    }
}
