package dev.ministramanager.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.ministramanager.testsupport.ServiceUnderTest;
import dev.ministramanager.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Failed authentication is limited per user name and per source address (429 with Retry-After, audited), inside the
 * one credential verification every way in uses; and a wrong password, an unknown user and an unknown token cost the
 * same time, so timing does not reveal which user names exist. Requests come from different loopback addresses
 * (127.0.0.x), so that the per-address and per-name limits can be told apart.
 */
class FailedAuthenticationTest {

    @Test
    void failuresAreLimitedPerNameAndAddressAndCostTheSame() throws Exception {
        try (TestDatabase database = TestDatabase.postgres();
             ServiceUnderTest service = ServiceUnderTest.start(database, Map.of(
                     "mm.security.failed-auth-limit", "3", "mm.security.failed-auth-limit-per-address", "3",
                     "mm.security.failed-auth-window-seconds", "120"))) {
            for (int i = 0; i < 6; i++) {
                assertThat(service.post("/users", ServiceUnderTest.ADMIN_TOKEN, "{\"username\":\"user" + i
                        + "\",\"role\":\"viewer\",\"allCompanies\":true,\"password\":\"right-password-" + i + "\"}")
                        .status()).isEqualTo(201);
            }
            URI api = service.api("/companies");

            // equal cost: one failure per name and address, so no limit is reached
            List<Long> wrongPassword = new ArrayList<>();
            List<Long> unknownUser = new ArrayList<>();
            List<Long> unknownToken = new ArrayList<>();
            for (int i = 1; i < 6; i++) {
                wrongPassword.add(timed(api, "127.0.1." + i, basic("user" + i, "wrong-password"), 401));
                unknownUser.add(timed(api, "127.0.2." + i, basic("nobody" + i, "wrong-password"), 401));
                unknownToken.add(timed(api, "127.0.3." + i, "Bearer mm_0123456789abcdef_" + "x".repeat(43), 401));
            }
            long bcryptMillis = median(wrongPassword);
            System.out.printf("failed authentication, median of 5 (ms): wrong password %d, unknown user %d, unknown"
                    + " token %d%n", bcryptMillis, median(unknownUser), median(unknownToken));
            assertThat(bcryptMillis).as("a wrong password costs a BCrypt").isGreaterThanOrEqualTo(10);
            assertThat(median(unknownUser)).as("unknown user %s vs wrong password %s", unknownUser, wrongPassword)
                    .isGreaterThan(bcryptMillis * 4 / 10);
            assertThat(median(unknownToken)).as("unknown token %s vs wrong password %s", unknownToken, wrongPassword)
                    .isGreaterThan(bcryptMillis * 4 / 10);

            // per user name: three failures from one address lock user0 everywhere, even with its right password
            for (int i = 0; i < 3; i++) {
                assertThat(request(api, "127.0.0.2", basic("user0", "wrong-" + i)).status()).isEqualTo(401);
            }
            Answer locked = request(api, "127.0.0.3", basic("user0", "right-password-0"));
            assertThat(locked.status()).isEqualTo(429);
            assertThat(locked.head()).containsIgnoringCase("content-type: application/problem+json");
            assertThat(Long.parseLong(locked.header("retry-after"))).isBetween(1L, 120L);
            // per address: 127.0.0.2 is locked for every credential, the bootstrap token included
            assertThat(request(api, "127.0.0.2", "Bearer " + ServiceUnderTest.ADMIN_TOKEN).status()).isEqualTo(429);
            assertThat(request(api, "127.0.0.4", "Bearer " + ServiceUnderTest.ADMIN_TOKEN).status()).isEqualTo(200);
            assertThat(request(api, "127.0.0.4", basic("user5", "right-password-5")).status()).isEqualTo(200);

            try (Connection connection = database.connect(); ResultSet rs = connection.createStatement().executeQuery(
                    "SELECT subject_id FROM audit_event WHERE subject = 'authentication' AND action = 'lock'"
                            + " ORDER BY subject_id")) {
                List<String> locks = new ArrayList<>();
                while (rs.next()) {
                    locks.add(rs.getString(1));
                }
                assertThat(locks).containsExactly("address:127.0.0.2", "user:user0");
            }
        }
    }

    private record Answer(int status, String head) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith(name + ":")) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return null;
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static long timed(URI api, String from, String authorization, int status) throws IOException {
        long started = System.nanoTime();
        assertThat(request(api, from, authorization).status()).isEqualTo(status);
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static long median(List<Long> millis) {
        return millis.stream().sorted().toList().get(millis.size() / 2);
    }

    /** One request on a connection from the given loopback address. */
    private static Answer request(URI api, String from, String authorization) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(api.getHost(), api.getPort()), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + api.getPath() + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: " + authorization + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
            }
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            String head = text.substring(0, Math.max(0, text.indexOf("\r\n\r\n")));
            return new Answer(Integer.parseInt(head.split(" ")[1]), head);
        }
    }
}
