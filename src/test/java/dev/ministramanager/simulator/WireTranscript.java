package dev.ministramanager.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The exchanges of {@code ministra/WIRE-TRANSCRIPT.md}: each "### N. title" with its request and response blocks. */
final class WireTranscript {

    record Message(String startLine, List<Map.Entry<String, String>> headers, String body) {

        String header(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }
    }

    record Exchange(int number, String title, Message request, Message response) {

        int status() {
            return Integer.parseInt(response.startLine().split(" ")[1]);
        }
    }

    private static final Pattern EXCHANGE = Pattern.compile(
            "(?m)^### (\\d+)\\. ([^\\n]*)\\n\\nRequest:\\n\\n```http\\n(.*?)```\\n\\nResponse \\(raw, CRLFs stripped\\):\\n\\n"
                    + "```http\\n(.*?)```", Pattern.DOTALL);

    private WireTranscript() {
    }

    static List<Exchange> load(String resource) {
        try (InputStream in = WireTranscript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Exchange> parse(String markdown) {
        List<Exchange> exchanges = new ArrayList<>();
        Matcher m = EXCHANGE.matcher(markdown);
        while (m.find()) {
            exchanges.add(new Exchange(Integer.parseInt(m.group(1)), m.group(2), message(m.group(3)),
                    message(m.group(4))));
        }
        return exchanges;
    }

    /** Start line, headers, then (after the first blank line) the body without the newline before the fence. */
    private static Message message(String block) {
        int blank = block.indexOf("\n\n");
        String head = blank < 0 ? block : block.substring(0, blank);
        String body = blank < 0 ? "" : block.substring(blank + 2);
        if (body.endsWith("\n")) {
            body = body.substring(0, body.length() - 1);
        }
        String[] lines = head.strip().split("\n");
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(Map.entry(lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()));
        }
        return new Message(lines[0], headers, body);
    }
}
