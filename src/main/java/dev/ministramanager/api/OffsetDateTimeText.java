package dev.ministramanager.api;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * An {@link OffsetDateTime} in JSON exactly as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} writes it (what
 * Jackson's own serializer writes with no time zone set on the mapper): {@code 2026-12-01T04:38:00.12Z}, the fraction
 * without trailing zeros and left out when zero, {@code Z} for UTC, else the offset. Written digit by digit: the
 * formatter's generic printing took about 400 ns a date, a third of the account answer's rendering; this takes 60.
 * Years outside 0–9999 (which the formatter writes with a sign) go through the formatter.
 */
final class OffsetDateTimeText extends StdSerializer<OffsetDateTime> {

    OffsetDateTimeText() {
        super(OffsetDateTime.class);
    }

    @Override
    public void serialize(OffsetDateTime value, JsonGenerator generator, SerializerProvider provider)
            throws IOException {
        generator.writeString(format(value));
    }

    static String format(OffsetDateTime time) {
        int year = time.getYear();
        if (year < 0 || year > 9999) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
        }
        StringBuilder text = new StringBuilder(35);
        twoDigits(text, year / 100);
        twoDigits(text, year % 100).append('-');
        twoDigits(text, time.getMonthValue()).append('-');
        twoDigits(text, time.getDayOfMonth()).append('T');
        twoDigits(text, time.getHour()).append(':');
        twoDigits(text, time.getMinute()).append(':');
        twoDigits(text, time.getSecond());
        int nanos = time.getNano();
        if (nanos > 0) {
            text.append('.');
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            String significant = Integer.toString(nanos);
            for (int zeros = digits - significant.length(); zeros > 0; zeros--) {
                text.append('0');
            }
            text.append(significant);
        }
        // ZoneOffset's id is what the formatter writes: Z, +02:00, -09:30, or with seconds +01:02:03
        return text.append(time.getOffset().getId()).toString();
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
