package dev.ministramanager.accounts;

import static dev.ministramanager.accounts.AccountsFixture.ADMIN;
import static dev.ministramanager.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * {@code GET /accounts/{login}}'s reads grouped while one is in flight ({@link GroupedAccountReads}): each read gets its
 * own account (company and login, any case of it) or none, alone or in a group, under concurrent reads of the same and
 * of different logins; and a client that wrote reads its write.
 */
@ExtendWith(SimulatorExtension.class)
@OnBothDatabases
class GroupedAccountReadsTest {

    private static final int LOGINS = 10;
    private static ServiceUnderTest service;
    private static long companyA;
    private static long companyB;
    private static DataSource dataSource;

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(Map.of("mm.db.pool-size", "24"))
            .withCompanies("Grouped ISP A", "Grouped ISP B");

    private final ExecutorService threads = Executors.newFixedThreadPool(16);

    @BeforeAll
    static void accounts() {
        service = FLOW.service();
        companyA = FLOW.company(0);
        companyB = FLOW.company(1);
        dataSource = service.camel().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        for (int i = 0; i < LOGINS; i++) {
            create(companyA, "group-" + i, "A " + i);
            create(companyB, "group-" + i, "B " + i);
        }
        create(companyA, "writer", "version 0");
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * The first read's statement is held in flight (its connection is handed out only when the test says so); the
     * reads that arrive meanwhile go as one statement, on one more connection, each with its own answer.
     */
    @Test
    void readsThatArriveWhileOneIsInFlightGoTogetherAsOneStatement() throws Exception {
        HeldConnections connections = new HeldConnections(dataSource);
        GroupedAccountReads reads = new GroupedAccountReads(connections, Clock.systemUTC(), 1);
        Future<Optional<String>> first = threads.submit(() -> reads.find(companyA, "group-0",
                GroupedAccountReadsTest::name));
        eventually("the first read's statement to be in flight", () -> connections.asked.get() == 1);

        // each read's expected answer (a full name, or none), the same account twice in two spellings of its login
        List<Map.Entry<Optional<String>, Future<Optional<String>>>> arriving = new ArrayList<>();
        for (int i = 1; i < LOGINS; i++) {
            String login = "group-" + i;
            arriving.add(Map.entry(Optional.of("A " + i),
                    threads.submit(() -> reads.find(companyA, login, GroupedAccountReadsTest::name))));
        }
        arriving.add(Map.entry(Optional.of("B 3"),
                threads.submit(() -> reads.find(companyB, "group-3", GroupedAccountReadsTest::name))));
        arriving.add(Map.entry(Optional.of("A 3"),
                threads.submit(() -> reads.find(companyA, "GROUP-3", GroupedAccountReadsTest::name))));
        arriving.add(Map.entry(Optional.empty(),
                threads.submit(() -> reads.find(companyA, "absent", GroupedAccountReadsTest::name))));
        eventually("every other read to wait", () -> reads.waiting() == arriving.size());
        assertThat(connections.asked.get()).isEqualTo(1);

        connections.release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).contains("A 0");
        for (Map.Entry<Optional<String>, Future<Optional<String>>> read : arriving) {
            assertThat(read.getValue().get(30, TimeUnit.SECONDS)).isEqualTo(read.getKey());
        }
        // one statement for the first read, one for the 12 that arrived while it was in flight
        assertThat(connections.asked.get()).isEqualTo(2);
        assertThat(reads.waiting()).isZero();
        // with none in flight, the next read goes at once, alone
        assertThat(reads.find(companyB, "group-9", GroupedAccountReadsTest::name)).contains("B 9");
        assertThat(connections.asked.get()).isEqualTo(3);
    }

    /** 16 clients read the same and different logins of two companies over HTTP: every answer is its own account. */
    @Test
    void concurrentReadsOfTheSameAndOfDifferentLoginsEachGetTheirOwnAccount() throws Exception {
        List<Future<Integer>> clients = new ArrayList<>();
        for (int client = 0; client < 16; client++) {
            int offset = client;
            clients.add(threads.submit(() -> {
                int checked = 0;
                for (int i = 0; i < 40; i++) {
                    // half the clients read the same login over and over; the others walk all of them
                    int index = offset % 2 == 0 ? 7 : (offset + i) % LOGINS;
                    boolean inB = (offset + i) % 3 == 0;
                    long company = inB ? companyB : companyA;
                    JsonNode account = read(company, "group-" + index);
                    assertThat(account.get("login").asText()).isEqualTo("group-" + index);
                    assertThat(account.get("companyId").asLong()).isEqualTo(company);
                    assertThat(account.get("fullName").asText()).isEqualTo((inB ? "B " : "A ") + index);
                    if (i % 10 == 0) {
                        assertThat(service.get("/accounts/nobody-" + offset + "?company=" + company, ADMIN)
                                .status()).isEqualTo(404);
                    }
                    checked++;
                }
                return checked;
            }));
        }
        for (Future<Integer> client : clients) {
            assertThat(client.get(120, TimeUnit.SECONDS)).isEqualTo(40);
        }
    }

    /** While other clients keep reads in flight, a client that changed an account reads its change at once. */
    @Test
    void aClientReadsItsOwnWriteWhileOthersRead() throws Exception {
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicInteger othersRead = new AtomicInteger();
        List<Future<?>> others = new ArrayList<>();
        for (int client = 0; client < 8; client++) {
            others.add(threads.submit(() -> {
                while (reading.get()) {
                    assertThat(service.get("/accounts/writer?company=" + companyA, ADMIN).status()).isEqualTo(200);
                    othersRead.incrementAndGet();
                }
                return null;
            }));
        }
        eventually("the other clients to be reading", () -> othersRead.get() > 50);
        try {
            for (int i = 1; i <= 30; i++) {
                ApiAnswer changed = service.patch("/accounts/writer?company=" + companyA, ADMIN,
                        "{\"fullName\":\"version " + i + "\"}");
                assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
                JsonNode read = read(companyA, "writer");
                assertThat(read.get("fullName").asText()).isEqualTo("version " + i);
                assertThat(read.get("version").asLong()).isEqualTo(changed.json().get("version").asLong());
            }
        } finally {
            reading.set(false);
        }
        for (Future<?> other : others) {
            other.get(30, TimeUnit.SECONDS);
        }
    }

    private static JsonNode read(long company, String login) {
        ApiAnswer answer = service.get("/accounts/" + login + "?company=" + company, ADMIN);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    private static void create(long company, String login, String fullName) {
        ApiAnswer created = service.post("/accounts?company=" + company, ADMIN,
                "{\"login\":\"" + login + "\",\"fullName\":\"" + fullName + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    private static String name(ResultSet row, OffsetDateTime now) throws SQLException {
        return row.getString("full_name");
    }

    /** The service's pool; the first connection is handed out only once {@link #release} is counted down. */
    private static final class HeldConnections extends DelegatingDataSource {

        final AtomicInteger asked = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);

        HeldConnections(DataSource pool) {
            super(pool);
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (asked.incrementAndGet() == 1) {
                try {
                    if (!release.await(60, TimeUnit.SECONDS)) {
                        throw new SQLException("The test never released the first connection");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException(e);
                }
            }
            return super.getConnection();
        }
    }
}
