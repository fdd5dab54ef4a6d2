package dev.ministramanager.simulator;

import io.netty.channel.ChannelOption;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Arrays;
import java.util.Map;

/** Putting an answer on the wire as Apache in front of PHP would: whole, cut short, reset, or Apache's error page. */
final class HttpReplies {

    private HttpReplies() {
    }

    static void send(HttpServerRequest request, ApiResponse response) {
        HttpServerResponse out = request.response();
        if (out.ended() || out.closed()) {
            return;
        }
        out.setStatusCode(response.status());
        for (Map.Entry<String, String> header : response.headers()) {
            out.headers().add(header.getKey(), header.getValue());
        }
        if (request.method() == HttpMethod.HEAD) {
            out.end();
        } else {
            out.end(Buffer.buffer(response.body()));
        }
    }

    /** The full Content-Length announced, half the body written, then the connection closed. */
    static void sendTruncated(HttpServerRequest request, ApiResponse response) {
        HttpServerResponse out = request.response();
        out.setStatusCode(response.status());
        for (Map.Entry<String, String> header : response.headers()) {
            out.headers().add(header.getKey(), header.getValue());
        }
        out.putHeader("Content-Length", String.valueOf(response.body().length));
        byte[] half = Arrays.copyOf(response.body(), response.body().length / 2);
        out.write(Buffer.buffer(half)).onComplete(done -> request.connection().close());
    }

    /** An RST instead of an answer: SO_LINGER 0, then close. */
    static void reset(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            base.channel().config().setOption(ChannelOption.SO_LINGER, 0);
            base.channel().close();
        } else {
            connection.close();
        }
    }

    static void sendApacheError(HttpServerRequest request, int status) {
        String reason = switch (status) {
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
        String html = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>" + status + " "
                + reason + "</title>\n</head><body>\n<h1>" + reason + "</h1>\n<p>The server could not complete "
                + "your request.</p>\n<hr>\n<address>Apache/2.4.71 (Debian) Server</address>\n</body></html>\n";
        HttpServerResponse out = request.response().setStatusCode(status)
                .putHeader("Content-Type", "text/html; charset=iso-8859-1");
        if (request.method() == HttpMethod.HEAD) {
            out.end();
        } else {
            out.end(html);
        }
    }
}
