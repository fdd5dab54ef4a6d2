package dev.ministramanager.imports;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import dev.ministramanager.api.ProblemException;
import dev.ministramanager.api.TextRules;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a billing export: UTF-8 with or without a byte order mark, a header row naming the columns (any order, any
 * subset that includes {@code login}), comma or semicolon as delimiter (whichever the header uses), RFC 4180
 * quoting. Records are handed over one at a time; a record whose field count differs from the header's, or whose
 * text breaks the API's text rules, is handed over as a refusal. A record's line is its number counting the header
 * as line 1 (a quoted field that spans lines still makes one record).
 */
final class CsvRows {

    static final String PACKAGE_SEPARATOR = "|";
    private static final Pattern MAC_SEPARATORS = Pattern.compile("[:.-]");
    private static final Pattern TWELVE_HEX_DIGITS = Pattern.compile("[0-9A-F]{12}");
    static final List<String> COLUMNS = List.of("login", "password", "fullName", "phone", "accountNumber", "tariff",
            "status", "stbMac", "customerRef", "expiresAt", "packages");

    /** A record: the row, or why it cannot be one. */
    record Read(CsvRow row, RowOutcome refused) {
    }

    private CsvRows() {
    }

    /** Checks the file's encoding and header row only (400 naming the column). */
    static void checkHeader(byte[] csv) {
        try {
            read(csv, first -> {
                throw new HeaderRead();
            });
        } catch (HeaderRead enough) {
            // the header was read and is fine
        }
    }

    private static final class HeaderRead extends RuntimeException {
        HeaderRead() {
            super(null, null, false, false);
        }
    }

    /** Checks the header (400 naming the column) and reads every record, in order, to {@code each}. */
    static void read(byte[] csv, Consumer<Read> each) {
        try (Reader reader = reader(csv)) {
            PushbackReader sniffing = new PushbackReader(reader, 4096);
            char delimiter = delimiter(sniffing);
            CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setHeader()
                    .setSkipHeaderRecord(true).setIgnoreEmptyLines(true).setAllowMissingColumnNames(false)
                    .setDuplicateHeaderMode(org.apache.commons.csv.DuplicateHeaderMode.DISALLOW).get();
            try (CSVParser parser = format.parse(sniffing)) {
                List<String> header = parser.getHeaderNames();
                checkHeader(header);
                long line = 1;
                for (CSVRecord record : parser) {
                    line++;
                    each.accept(read(record, header, line));
                }
            }
        } catch (CharacterCodingException e) {
            throw ProblemException.invalidField("file", "The file is not UTF-8 text.");
        } catch (UncheckedIOException | IOException | IllegalArgumentException | IllegalStateException e) {
            Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
            if (cause instanceof CharacterCodingException) {
                throw ProblemException.invalidField("file", "The file is not UTF-8 text.");
            }
            throw ProblemException.invalidField("file", "The file is not CSV this import reads: "
                    + cause.getMessage());
        }
    }

    private static Read read(CSVRecord record, List<String> header, long line) {
        if (record.size() != header.size()) {
            return new Read(null, RowOutcome.refused(line, record.size() > 0 ? record.get(0) : null, "columns",
                    "The record has " + record.size() + " fields; the header has " + header.size() + "."));
        }
        Map<String, String> cells = record.toMap();
        String login = cells.get("login");
        try {
            for (Map.Entry<String, String> cell : cells.entrySet()) {
                TextRules.check(cell.getKey(), cell.getValue());
            }
            return new Read(new CsvRow(line, given(cells, "login"), given(cells, "password"),
                    given(cells, "fullName"), given(cells, "phone"), given(cells, "accountNumber"),
                    given(cells, "tariff"), given(cells, "status"), given(cells, "stbMac"),
                    given(cells, "customerRef"), given(cells, "expiresAt"), packages(given(cells, "packages"))),
                    null);
        } catch (ProblemException invalid) {
            return new Read(null, RowOutcome.refused(line, login, invalid));
        }
    }

    /**
     * Package external ids separated by '|'; an empty item (a stray or doubled separator) is refused. An empty cell
     * is null: not given, as for every other column.
     */
    private static List<String> packages(String cell) {
        if (cell == null) {
            return null;
        }
        List<String> packages = new ArrayList<>();
        for (String item : cell.split("\\|", -1)) {
            if (item.isEmpty() || item.length() > 100) {
                throw ProblemException.invalidField("packages", "Field 'packages' must be package external ids (1 to"
                        + " 100 characters) separated by '" + PACKAGE_SEPARATOR + "'.");
            }
            packages.add(item);
        }
        return List.copyOf(packages);
    }

    private static String given(Map<String, String> cells, String column) {
        String value = cells.get(column);
        return value == null || value.isEmpty() ? null : value;
    }

    private static void checkHeader(List<String> header) {
        Set<String> known = Set.copyOf(COLUMNS);
        for (String column : header) {
            if (!known.contains(column)) {
                throw ProblemException.invalidField(column, "Column '" + column + "' is not one this import knows: "
                        + String.join(", ", COLUMNS) + ".");
            }
        }
        if (!header.contains("login")) {
            throw ProblemException.invalidField("login", "The header row must name a 'login' column.");
        }
    }

    /** Strict UTF-8 (a byte that is not UTF-8 fails the read), without the byte order mark. */
    private static Reader reader(byte[] csv) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        PushbackReader reader = new PushbackReader(new InputStreamReader(new ByteArrayInputStream(csv), decoder), 1);
        int first = reader.read();
        if (first != -1 && first != '\uFEFF') {
            reader.unread(first);
        }
        return reader;
    }

    /** The header's delimiter: ';' when the header line has more semicolons than commas, else ','. */
    private static char delimiter(PushbackReader reader) throws IOException {
        char[] start = new char[4096];
        int read = reader.read(start);
        if (read <= 0) {
            throw ProblemException.invalidField("file", "The file is empty: it needs a header row.");
        }
        reader.unread(start, 0, read);
        int commas = 0;
        int semicolons = 0;
        for (int i = 0; i < read && start[i] != '\n' && start[i] != '\r'; i++) {
            commas += start[i] == ',' ? 1 : 0;
            semicolons += start[i] == ';' ? 1 : 0;
        }
        return semicolons > commas ? ';' : ',';
    }

    static String key(String login) {
        return login.toLowerCase(Locale.ROOT);
    }

    /**
     * A MAC as the accounts store it (00:1A:79:AB:CD:EF) in any notation the API accepts, to compare MACs by; null
     * when none is given or it is not twelve hex digits (the row's checks refuse such a MAC).
     */
    static String macKey(String mac) {
        String digits = mac == null ? "" : MAC_SEPARATORS.matcher(mac).replaceAll("").toUpperCase(Locale.ROOT);
        if (!TWELVE_HEX_DIGITS.matcher(digits).matches()) {
            return null;
        }
        return String.join(":", digits.substring(0, 2), digits.substring(2, 4), digits.substring(4, 6),
                digits.substring(6, 8), digits.substring(8, 10), digits.substring(10, 12));
    }
}
