package dev.ministramanager.events;

import static dev.ministramanager.events.EventsFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ministramanager.simulator.MinistraSimulator;
import dev.ministramanager.simulator.SimulatorExtension;
import dev.ministramanager.testsupport.ApiAnswer;
import dev.ministramanager.testsupport.OnBothDatabases;
import dev.ministramanager.testsupport.ServiceFixture;
import dev.ministramanager.testsupport.ServiceUnderTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who may keep the live stream open: the console's session cookie opens it (the console's {@code EventSource} cannot
 * send an Authorization header), {@code after=now} starts it at the next event, and at every heartbeat the caller is
 * checked again, so a stream ends when its session is signed out or its user disabled.
 */
@OnBothDatabases
@ExtendWith(SimulatorExtension.class)
class EventStreamSignInTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "Stream-Password-1";
    private static final Duration A_FEW_HEARTBEATS = Duration.ofSeconds(10);

    @RegisterExtension
    static final ServiceFixture FLOW = ServiceFixture.on(EventsFixture.fast(Map.of()));

    private static ServiceUnderTest service;
    private static long company;

    @BeforeAll
    static void start(MinistraSimulator ministra) {
        service = FLOW.service();
        company = EventsFixture.createCompany(service, ministra, "Streamed ISP");
    }

    @Test
    void theConsolesSessionCookieOpensTheStreamFromTheNextEventAndSigningOutEndsIt() throws Exception {
        ServiceFixture.userWithPassword(service, "stream.viewer", "viewer", PASSWORD, company);
        String cookie = signIn("stream.viewer");
        EventsFixture.createAccount(service, company, "before.open");

        try (EventStreamClient stream = EventStreamClient.openWith(
                service.api("/events/stream?company=" + company + "&types=account.created&after=now"),
                "Cookie", cookie)) {
            assertThat(stream.status()).isEqualTo(200);
            EventsFixture.createAccount(service, company, "after.open");
            List<EventStreamClient.Frame> comments = new ArrayList<>();
            EventStreamClient.Frame first = stream.nextEvent(Duration.ofSeconds(10), comments);
            assertThat(JSON.readTree(first.data()).get("subject").asText())
                    .as("after=now skips what came before the stream opened").isEqualTo("after.open");

            String csrf = service.send(service.request(service.api("/session"), null).header("Cookie", cookie))
                    .json().get("csrfToken").asText();
            ApiAnswer out = service.send(service.request(service.api("/session"), null).header("Cookie", cookie)
                    .header("X-CSRF-Token", csrf).method("DELETE", HttpRequest.BodyPublishers.noBody()));
            assertThat(out.status()).isEqualTo(204);
            assertThat(stream.endedWithin(A_FEW_HEARTBEATS)).as("the stream ends at a heartbeat").isTrue();
        }
        try (EventStreamClient again = EventStreamClient.openWith(service.api("/events/stream?company=" + company),
                "Cookie", cookie)) {
            assertThat(again.status()).isEqualTo(401);
        }
    }

    @Test
    void aDisabledUsersStreamEnds() throws Exception {
        String token = ServiceFixture.user(service, "stream.leaver", "viewer", company);
        try (EventStreamClient stream = EventStreamClient.open(service.api("/events/stream?company=" + company),
                token, null)) {
            assertThat(stream.status()).isEqualTo(200);
            ApiAnswer disabled = service.patch("/users/stream.leaver", ADMIN, "{\"enabled\":false}");
            assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
            assertThat(stream.endedWithin(A_FEW_HEARTBEATS)).as("the stream ends at a heartbeat").isTrue();
        }
    }

    @Test
    void aStreamThatStaysSignedInKeepsItsHeartbeats() throws Exception {
        String token = ServiceFixture.user(service, "stream.stayer", "viewer", company);
        try (EventStreamClient stream = EventStreamClient.open(service.api("/events/stream?company=" + company),
                token, null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.endedWithin(Duration.ofSeconds(3))).as("still open after three heartbeats").isFalse();
            assertThat(stream.drain()).extracting(EventStreamClient.Frame::comment).contains("heartbeat");
        }
    }

    @Test
    void aCompanyThatDoesNotExistIsNotFoundEvenForAnAdminOfAllCompanies() throws Exception {
        try (EventStreamClient none = EventStreamClient.open(service.api("/events/stream?company=999999"), ADMIN,
                null)) {
            assertThat(none.status()).as("as every REST operation answers it").isEqualTo(404);
        }
        try (EventStreamClient malformed = EventStreamClient.open(service.api("/events/stream?company=first"), ADMIN,
                null)) {
            assertThat(malformed.status()).isEqualTo(400);
        }
    }

    private static String signIn(String username) {
        ApiAnswer answer = service.post("/session", null, """
                {"username":"%s","password":"%s"}""".formatted(username, PASSWORD));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        return answer.header("Set-Cookie").split(";")[0];
    }
}
