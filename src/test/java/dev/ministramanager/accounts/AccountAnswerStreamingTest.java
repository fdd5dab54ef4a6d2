package dev.ministramanager.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ministramanager.api.AnswerFields;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code GET /accounts/{login}} streams its answer ({@link AnswerFields#streamed}); every other account answer renders
 * the Map of the same fields. Both must be the same bytes, for every shape the sync state takes.
 */
class AccountAnswerStreamingTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final OffsetDateTime AT = OffsetDateTime.of(2026, 12, 1, 4, 38, 0, 120_000_000, ZoneOffset.UTC);

    static List<StoredAccount> accounts() {
        SyncState synced = new SyncState("synced", 0, null, null, null, null, AT, false, null);
        SyncState retrying = new SyncState("retrying", 3, AT.plusSeconds(30), "timeout \"x\"\n", "transient", null,
                null, true, null);
        SyncState dead = new SyncState("dead", 5, null, "rejected", "rejected", 42L, AT, false, null);
        SyncState waiting = new SyncState("pending", 0, null, null, null, null, null, false,
                new SyncState.MinistraDown(7, "Reading ISP", AT.minusHours(1), AT.plusMinutes(1), "unreachable"));
        return List.of(
                new StoredAccount(1, 7, "jdoe", true, "John Doe", "+49 30 1234567", "A-1", 3L, "basic", "active",
                        "00:1A:79:12:34:56", "\u00dcmlaut \u2713", AT.withOffsetSameInstant(ZoneOffset.ofHours(2)),
                        "C-100", List.of("sport", "kids"), 3, AT.minusDays(2), AT, synced),
                new StoredAccount(2, 7, "nobody", false, null, null, "nobody", null, null, "inactive", null, null,
                        null, null, null, 1, AT, AT.withNano(0), retrying),
                new StoredAccount(3, 7, "dead", false, null, null, "dead", null, null, "active", null, null, null,
                        null, List.of(), 9, AT, AT, dead),
                new StoredAccount(4, 7, "waits", false, null, null, "waits", null, null, "active", null, null, null,
                        null, null, 2, AT, AT, waiting));
    }

    @ParameterizedTest
    @MethodSource("accounts")
    void theStreamedAnswerIsTheMapsBytes(StoredAccount account) throws Exception {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("inMinistra", true);
        snapshot.put("subscriptions", List.of("sport"));
        snapshot.put("ageSeconds", 12L);

        Map<String, Object> view = account.view();
        view.put("subscribed", snapshot.get("subscriptions"));
        view.put("ministra", snapshot);
        byte[] streamed = JSON.writeValueAsBytes(AnswerFields.streamed(fields -> {
            account.writeTo(fields);
            fields.put("subscribed", snapshot.get("subscriptions"));
            fields.put("ministra", snapshot);
        }));

        assertThat(new String(streamed, "UTF-8")).isEqualTo(JSON.writeValueAsString(view));
    }
}
