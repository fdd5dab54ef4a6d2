package dev.ministramanager.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The path as RESTRequest sees it.
 *
 * @param get         PHP's {@code $_GET}: {@code q} plus the original query string
 * @param resource    piece 0, or null for "Empty resource"
 * @param identifiers piece 1 split on commas, or null when there is no piece 1
 */
record RequestPath(Map<String, Object> get, String resource, List<String> identifiers) {

    /** Apache decodes the path and hands it to PHP as the query parameter q, followed by the original query. */
    static RequestPath parse(String entryRelative, String query) {
        String decodedPath = entryRelative.indexOf('%') < 0 ? entryRelative
                : PhpForm.utf8(percentDecode(entryRelative));
        Map<String, Object> get = PhpForm.parse("q=" + decodedPath + (query == null ? "" : "&" + query));
        Object q = get.get("q");
        if (PhpValues.isEmpty(q)) {
            return new RequestPath(get, null, null);
        }
        List<String> params = new ArrayList<>(Arrays.asList(PhpValues.string(q).split("/", -1)));
        if (PhpValues.isEmpty(params.get(params.size() - 1))) {
            params.remove(params.size() - 1);
        }
        if (params.isEmpty()) {
            return new RequestPath(get, null, null);
        }
        return new RequestPath(get, params.get(0),
                params.size() > 1 ? List.of(params.get(1).split(",", -1)) : null);
    }

    /** Apache's decoding of the path: {@code %xx} only; {@code +} stays, PHP turns it into a space later. */
    static byte[] percentDecode(String raw) {
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[bytes.length];
        int n = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length && Character.digit(bytes[i + 1], 16) >= 0
                    && Character.digit(bytes[i + 2], 16) >= 0) {
                out[n++] = (byte) (Character.digit(bytes[i + 1], 16) * 16 + Character.digit(bytes[i + 2], 16));
                i += 2;
            } else {
                out[n++] = bytes[i];
            }
        }
        return Arrays.copyOf(out, n);
    }
}
