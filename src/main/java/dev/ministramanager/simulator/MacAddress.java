package dev.ministramanager.simulator;

import java.util.Locale;

/**
 * Ministra's MAC normalisation (Middleware::normalizeMac): trim, upper-case, Cyrillic look-alikes to Latin, colons
 * into a 12-character string; valid iff 17 characters long. There is no hex check ({@code ZZ:ZZ:ZZ:ZZ:ZZ:ZZ} passes)
 * and dashes are kept.
 */
final class MacAddress {

    private MacAddress() {
    }

    /** The normalised MAC, or {@code null} where the server answers "Not valid mac address". */
    static String normalize(String raw) {
        if (raw == null) {
            return null;
        }
        String mac = raw.strip().toUpperCase(Locale.ROOT)
                .replace('\u0410', 'A').replace('\u0412', 'B').replace('\u0421', 'C').replace('\u0415', 'E')
                .replace('\u0430', 'A').replace('\u0432', 'B').replace('\u0441', 'C').replace('\u0435', 'E');
        if (mac.length() == 12) {
            StringBuilder withColons = new StringBuilder(17);
            for (int i = 0; i < 12; i += 2) {
                if (i > 0) {
                    withColons.append(':');
                }
                withColons.append(mac, i, i + 2);
            }
            mac = withColons.toString();
        }
        return mac.length() == 17 ? mac : null;
    }

    /** A MAC derived from a number, for bulk-loaded rows: 00:1A:79 followed by the low 24 bits. */
    static String fromIndex(int index) {
        return String.format(Locale.ROOT, "00:1A:79:%02X:%02X:%02X",
                (index >> 16) & 0xFF, (index >> 8) & 0xFF, index & 0xFF);
    }
}
