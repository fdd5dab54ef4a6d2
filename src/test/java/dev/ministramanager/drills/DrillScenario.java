package dev.ministramanager.drills;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.testsupport.TestDatabase;

/**
 * What every drill does: a company on the simulator with its plans synced, account changes submitted concurrently
 * through the nodes, the wait for convergence read from the database, and the simulator's write log checked for
 * duplicates. Figures are printed in one line per drill, {@code DRILL <name>: key=value ...}.
 */
final class DrillScenario {

    private final TestDatabase database;
    private final DrillProcesses.Simulator simulator;
    private long company;

    DrillScenario(TestDatabase database, DrillProcesses.Simulator simulator) {
        this.database = database;
        this.simulator = simulator;
    }

    long company(DrillProcesses.Node node) throws Exception {
        JsonNode created = node.call("POST", "/companies", """
                {"name":"Drill ISP","ministraBaseUrl":"%s","ministraUser":"ministra","ministraPassword":"ministra-secret",
                 "connectTimeoutMs":1000,"readTimeoutMs":5000}""".formatted(simulator.apiBaseUrl()));
        company = created.get("id").asLong();
        node.call("POST", "/companies/" + company + "/tariffs/sync", null);
        return company;
    }

    /**
     * Sends each request with 16 concurrent callers, round-robin over the nodes; answers how many were accepted
     * (2xx). A refused connection or 5xx (a node being killed) is counted as not accepted, never retried here.
     */
    int submit(List<DrillProcesses.Node> nodes, List<String[]> requests) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(16);
        AtomicInteger accepted = new AtomicInteger();
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            DrillProcesses.Node node = nodes.get(i % nodes.size());
            String[] request = requests.get(i);
            calls.add(callers.submit(() -> {
                try {
                    if (node.send(request[0], request[1], request[2]).statusCode() < 300) {
                        accepted.incrementAndGet();
                    }
                } catch (Exception refused) {
                    // the node is down: the change was not accepted
                }
                return null;
            }));
        }
        for (Future<?> call : calls) {
            call.get();
        }
        callers.shutdown();
        return accepted.get();
    }

    static List<String[]> creates(long company, String prefix, int count) {
        List<String[]> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(new String[] {"POST", "/accounts?company=" + company, """
                    {"login":"%s%05d","password":"pw-%d","fullName":"Drill %d","tariff":"basic"}"""
                    .formatted(prefix, i, i, i)});
        }
        return requests;
    }

    static List<String[]> renames(long company, String prefix, int count, String name) {
        List<String[]> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(new String[] {"PATCH", "/accounts/%s%05d?company=%d".formatted(prefix, i, company),
                "{\"fullName\":\"" + name + " " + i + "\"}"});
        }
        return requests;
    }

    /** Waits until no push is pending or retrying (or the time is up); answers the push rows by state. */
    Map<String, Long> awaitConverged(long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        Map<String, Long> states = states();
        while ((states.getOrDefault("pending", 0L) + states.getOrDefault("retrying", 0L)) > 0
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            states = states();
        }
        return states;
    }

    Map<String, Long> states() throws SQLException {
        Map<String, Long> states = new LinkedHashMap<>();
        try (Connection db = database.connect();
             PreparedStatement statement = db.prepareStatement(
                     "SELECT state, COUNT(*) FROM account_push GROUP BY state ORDER BY state");
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                states.put(rs.getString(1), rs.getLong(2));
            }
        }
        return states;
    }

    long count(String sql) throws SQLException {
        try (Connection db = database.connect(); PreparedStatement statement = db.prepareStatement(sql);
             ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Logins Ministra was asked to create more than once with success: a duplicate create. */
    Map<String, Integer> duplicateCreates() throws Exception {
        Map<String, Integer> creates = new HashMap<>();
        for (JsonNode entry : simulator.control("GET", "write-log", null)) {
            if (entry.path("method").asText().equals("POST") && entry.path("resource").asText().equals("accounts")
                    && entry.path("result").asText().equals("OK")) {
                String login = entry.at("/form/login/0").asText();
                creates.merge(login, 1, Integer::sum);
            }
        }
        creates.values().removeIf(n -> n == 1);
        return creates;
    }

    /**
     * Accounts for which Ministra had two write requests in hand at once (one arrived before the other was answered,
     * from the simulator's write log): the account a write addresses is the login of a create's form, else the first
     * identifier of its path. Answers each such account with the number of overlaps.
     */
    Map<String, Integer> overlappingWrites() throws Exception {
        Map<String, List<JsonNode>> writesByAccount = new HashMap<>();
        for (JsonNode entry : simulator.control("GET", "write-log", null)) {
            String account = entry.path("method").asText().equals("POST")
                    ? entry.at("/form/login/0").asText() : entry.at("/identifiers/0").asText();
            if (!account.isEmpty()) {
                writesByAccount.computeIfAbsent(account, key -> new ArrayList<>()).add(entry);
            }
        }
        Map<String, Integer> overlaps = new HashMap<>();
        writesByAccount.forEach((account, writes) -> {
            writes.sort(Comparator.comparing(write -> Instant.parse(write.path("received").asText())));
            Instant answeredLast = Instant.MIN;
            for (JsonNode write : writes) {
                if (Instant.parse(write.path("received").asText()).isBefore(answeredLast)) {
                    overlaps.merge(account, 1, Integer::sum);
                }
                Instant answered = Instant.parse(write.path("timestamp").asText());
                answeredLast = answered.isAfter(answeredLast) ? answered : answeredLast;
            }
        });
        return overlaps;
    }

    /** The simulator's accounts by login. */
    Map<String, JsonNode> ministraAccounts() throws Exception {
        Map<String, JsonNode> accounts = new HashMap<>();
        for (JsonNode row : simulator.control("GET", "accounts", null)) {
            accounts.put(row.path("login").asText(), row);
        }
        return accounts;
    }

    static void print(String drill, Map<String, Object> figures) {
        StringBuilder line = new StringBuilder("DRILL ").append(drill).append(':');
        figures.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        System.out.println(line);
    }
}
