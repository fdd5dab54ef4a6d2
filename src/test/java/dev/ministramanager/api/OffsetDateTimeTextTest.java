package dev.ministramanager.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

/** {@link OffsetDateTimeText} writes what Jackson's own serializer (the ISO formatter) writes, for any date. */
class OffsetDateTimeTextTest {

    private static final ObjectMapper JACKSONS = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final ObjectMapper OURS = new ObjectMapper().registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule().addSerializer(new OffsetDateTimeText()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void theSameTextAsTheIsoFormatterForEveryPrecisionOffsetAndYear() throws Exception {
        Random random = new Random(19);
        List<ZoneOffset> offsets = List.of(ZoneOffset.UTC, ZoneOffset.ofHours(2), ZoneOffset.ofHoursMinutes(-9, -30),
                ZoneOffset.ofHoursMinutesSeconds(1, 2, 3), ZoneOffset.MAX, ZoneOffset.MIN);
        List<Integer> nanos = List.of(0, 1, 10, 120_000_000, 123_000_000, 123_456_000, 123_456_789, 999_999_999,
                5_000, 100_000_000);
        List<Integer> years = List.of(0, 1, 999, 1970, 2026, 9999, 10_000, -1, 999_999_999, -999_999_999);
        for (int year : years) {
            for (ZoneOffset offset : offsets) {
                for (int nano : nanos) {
                    OffsetDateTime time = OffsetDateTime.of(year, 1 + random.nextInt(12), 1 + random.nextInt(28),
                            random.nextInt(24), random.nextInt(60), random.nextInt(60), nano, offset);
                    assertThat(OffsetDateTimeText.format(time)).as(time.toString())
                            .isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time));
                }
            }
        }
        for (int i = 0; i < 10_000; i++) {
            OffsetDateTime time = OffsetDateTime.of(random.nextInt(10_000), 1 + random.nextInt(12),
                    1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60),
                    random.nextBoolean() ? 0 : random.nextInt(1_000_000_000), offsets.get(random.nextInt(6)));
            assertThat(OffsetDateTimeText.format(time)).as(time.toString())
                    .isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time));
        }
    }

    @Test
    void aMapWithDatesIsTheSameJsonAsJacksonsOwn() throws Exception {
        OffsetDateTime at = OffsetDateTime.of(2026, 12, 1, 4, 38, 0, 120_000_000, ZoneOffset.UTC);
        Map<String, Object> answer = Map.of("createdAt", at, "expiresAt",
                at.withOffsetSameInstant(ZoneOffset.ofHours(2)), "sync", Map.of("lastPushedAt", at.withNano(0)));
        assertThat(OURS.writeValueAsString(answer)).isEqualTo(JACKSONS.writeValueAsString(answer))
                .contains("\"2026-12-01T04:38:00.12Z\"");
    }
}
