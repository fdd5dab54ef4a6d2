package dev.ministramanager.events;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

import dev.ministramanager.api.ProblemException;

/**
 * Which URLs a webhook may call. In production only https to public addresses: a webhook must not become a way to
 * reach the installation's own network (loopback, private, link-local and unspecified addresses are refused, also
 * when a host name resolves to one). {@code mm.webhooks.allow-private-urls} (on in the embedded default, so that a
 * newcomer can try a receiver on localhost) allows http and such addresses. Credentials in the URL are refused: they
 * would be stored and shown in clear.
 */
public final class WebhookUrls {

    private final boolean allowPrivate;

    public WebhookUrls(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    public String check(String raw) {
        String url = raw.trim();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw refused("Field 'url' is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (url.length() > 2000 || !scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null
                || uri.getFragment() != null) {
            throw refused("Field 'url' must be an absolute https URL without a fragment, at most 2000 characters.");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused("Field 'url' must not carry credentials; the receiver checks the webhook signature.");
        }
        if (!allowPrivate) {
            if (!scheme.equals("https")) {
                throw refused("Field 'url' must use https (mm.webhooks.allow-private-urls is off).");
            }
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(uri.getHost());
            } catch (UnknownHostException e) {
                throw refused("The host of field 'url' (" + uri.getHost() + ") cannot be resolved.");
            }
            for (InetAddress address : addresses) {
                if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                        || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocal(address)) {
                    throw refused("The host of field 'url' is a loopback, private or link-local address ("
                            + address.getHostAddress() + "); mm.webhooks.allow-private-urls is off.");
                }
            }
        }
        return url;
    }

    /** IPv6 unique local addresses (fc00::/7), which isSiteLocalAddress does not cover. */
    private static boolean uniqueLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }

    private static ProblemException refused(String detail) {
        return ProblemException.unprocessable("url", detail);
    }
}
