package dev.ministramanager.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The simulated database: the {@code users} rows with the lookups MySQL would do through its case-insensitive
 * collation ({@link CollatedIndex}, so 100 000 rows cost nothing per request), package subscriptions, and the event
 * queue.
 * Every method must be called while holding the monitor of this object.
 */
final class MinistraState {

    static final DateTimeFormatter DB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final Duration MESSAGE_TTL = Duration.ofDays(7);

    private final Clock clock;
    private Catalogue catalogue;
    private final Map<Long, Account> rows = new LinkedHashMap<>();
    private final CollatedIndex byLogin = new CollatedIndex();
    private final CollatedIndex byAccountNumber = new CollatedIndex();
    private final CollatedIndex byMac = new CollatedIndex();
    private final Map<Long, List<DeviceEvent>> eventsByAccount = new HashMap<>();
    private final Set<Long> deliveredEvents = new HashSet<>();
    private long nextAccountId;
    private long nextEventId;
    private boolean internalBilling;
    private boolean allowMultipleStbUpdate;
    private Duration watchdogTimeout;

    MinistraState(Catalogue catalogue, SimulatorSettings settings, Clock clock) {
        this.clock = clock;
        reset(catalogue, settings);
    }

    void reset(Catalogue seed, SimulatorSettings settings) {
        catalogue = seed;
        rows.clear();
        byLogin.clear();
        byAccountNumber.clear();
        byMac.clear();
        eventsByAccount.clear();
        deliveredEvents.clear();
        nextAccountId = 1;
        nextEventId = 1;
        internalBilling = settings.internalBilling();
        allowMultipleStbUpdate = settings.allowMultipleStbUpdate();
        watchdogTimeout = settings.watchdogTimeout();
    }

    Catalogue catalogue() {
        return catalogue;
    }

    void catalogue(Catalogue replacement) {
        catalogue = replacement;
    }

    boolean internalBilling() {
        return internalBilling;
    }

    void internalBilling(boolean enabled) {
        internalBilling = enabled;
    }

    boolean allowMultipleStbUpdate() {
        return allowMultipleStbUpdate;
    }

    void allowMultipleStbUpdate(boolean allowed) {
        allowMultipleStbUpdate = allowed;
    }

    Duration watchdogTimeout() {
        return watchdogTimeout;
    }

    void watchdogTimeout(Duration timeout) {
        watchdogTimeout = timeout;
    }

    Instant now() {
        return clock.instant();
    }

    String dbNow() {
        return DB_TIME.format(LocalDateTime.ofInstant(now(), ZoneOffset.UTC));
    }

    // ---- rows ----

    Account insert() {
        Account account = new Account(nextAccountId++, dbNow());
        add(account);
        return account;
    }

    private void add(Account account) {
        rows.put(account.id, account);
        byLogin.add(account.login, account);
        byAccountNumber.add(account.accountNumber, account);
        byMac.add(account.mac, account);
    }

    /** A row read back from the state file, with its own id (see {@link StateFile}). */
    void restore(Account account, String login, String accountNumber, String mac) {
        account.login = login;
        account.accountNumber = accountNumber;
        account.mac = mac;
        add(account);
    }

    void restore(DeviceEvent event, boolean delivered) {
        eventsByAccount.computeIfAbsent(event.accountId(), k -> new ArrayList<>()).add(event);
        if (delivered) {
            deliveredEvents.add(event.id());
        }
    }

    void restoreCounters(long accountId, long eventId) {
        nextAccountId = accountId;
        nextEventId = eventId;
    }

    long nextAccountId() {
        return nextAccountId;
    }

    long nextEventId() {
        return nextEventId;
    }

    boolean isDelivered(DeviceEvent event) {
        return deliveredEvents.contains(event.id());
    }

    void delete(Account account) {
        rows.remove(account.id);
        byLogin.remove(account.login, account);
        byAccountNumber.remove(account.accountNumber, account);
        byMac.remove(account.mac, account);
    }

    Collection<Account> all() {
        return rows.values();
    }

    int size() {
        return rows.size();
    }

    Account byId(long id) {
        return rows.get(id);
    }

    void setLogin(Account account, String login) {
        byLogin.remove(account.login, account);
        account.login = login;
        byLogin.add(login, account);
    }

    void setAccountNumber(Account account, String accountNumber) {
        byAccountNumber.remove(account.accountNumber, account);
        account.accountNumber = accountNumber;
        byAccountNumber.add(accountNumber, account);
    }

    void setMac(Account account, String mac) {
        byMac.remove(account.mac, account);
        account.mac = mac;
        byMac.add(mac, account);
    }

    /** Rows whose login equals one of the values under the collation, in table order. */
    List<Account> findByLogins(List<String> logins) {
        return byLogin.find(logins);
    }

    List<Account> findByAccountNumbers(List<String> accountNumbers) {
        return byAccountNumber.find(accountNumbers);
    }

    /** MAC lookups normalise every identifier and silently drop the ones that fail. */
    List<Account> findByMacs(List<String> macs) {
        List<String> normalised = new ArrayList<>(macs.size());
        for (String mac : macs) {
            String n = MacAddress.normalize(mac);
            if (n != null) {
                normalised.add(n);
            }
        }
        return byMac.find(normalised);
    }

    Account firstByLogin(String login) {
        return byLogin.first(login);
    }

    Account firstByMac(String mac) {
        return byMac.first(mac);
    }

    List<Account> filter(Predicate<Account> predicate) {
        List<Account> result = new ArrayList<>();
        for (Account account : rows.values()) {
            if (predicate.test(account)) {
                result.add(account);
            }
        }
        return result;
    }

    // ---- devices ----

    boolean isOnline(Account account) {
        return account.keepAlive != null
                && !account.keepAlive.plus(watchdogTimeout).isBefore(now());
    }

    // ---- events ----

    /** Default TTL: seven days for messages, twice the watchdog timeout for everything else. */
    Duration defaultTtl(String event) {
        return event.startsWith("send_msg") ? MESSAGE_TTL : watchdogTimeout.multipliedBy(2);
    }

    DeviceEvent queueEvent(Account account, String event, String msg, int needConfirm, int rebootAfterOk,
                           int priority, int autoHideTimeout, String param1, Duration ttl) {
        Instant now = now();
        DeviceEvent queued = new DeviceEvent(nextEventId++, account.id, event, msg, needConfirm, rebootAfterOk,
                priority, autoHideTimeout, param1, now, now.plus(ttl == null ? defaultTtl(event) : ttl));
        eventsByAccount.computeIfAbsent(account.id, k -> new ArrayList<>()).add(queued);
        return queued;
    }

    /** "Earlier unsent message+reboot events of that device are deleted first." */
    void dropUnsentMessageReboots(Account account) {
        List<DeviceEvent> events = eventsByAccount.get(account.id);
        if (events != null) {
            events.removeIf(e -> e.rebootAfterOk() == 1 && e.event().equals("send_msg")
                    && !deliveredEvents.contains(e.id()));
        }
    }

    List<DeviceEvent> events(Account account) {
        return List.copyOf(eventsByAccount.getOrDefault(account.id, List.of()));
    }

    /** Unexpired and not yet delivered, in queue order. */
    List<DeviceEvent> pendingEvents(Account account) {
        Instant now = now();
        List<DeviceEvent> pending = new ArrayList<>();
        for (DeviceEvent e : eventsByAccount.getOrDefault(account.id, List.of())) {
            if (e.expiresAt().isAfter(now) && !deliveredEvents.contains(e.id())) {
                pending.add(e);
            }
        }
        return pending;
    }

    void markDelivered(Collection<DeviceEvent> events) {
        for (DeviceEvent e : events) {
            deliveredEvents.add(e.id());
        }
    }

    int eventCount() {
        int count = 0;
        for (List<DeviceEvent> events : eventsByAccount.values()) {
            count += events.size();
        }
        return count;
    }

    /** Package ids subscribed by the row, de-duplicated, in id order. */
    static Set<String> subscribedSet(Account account) {
        return new TreeSet<>(account.subscribedPackageIds);
    }
}
