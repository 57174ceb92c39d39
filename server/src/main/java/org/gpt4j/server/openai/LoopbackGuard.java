package org.gpt4j.server.openai;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps a server bound to the loopback interface (the default, 127.0.0.1) for this machine's own
 * clients. A web page from anywhere can make the visitor's browser send requests to 127.0.0.1:
 * through a DNS name re-pointed at it (DNS rebinding: the request then names that Host, and the
 * page may read the answers), or as a cross-origin form post (it carries the page's Origin). Both
 * are refused with 403. A server bound to another interface has chosen to be reached by other
 * names and pages; its API key guards it.
 */
final class LoopbackGuard {

    /** Null: no check (not bound to loopback). */
    private final Set<String> names;

    private LoopbackGuard(Set<String> names) {
        this.names = names;
    }

    /** The guard for a server bound to {@code bindHost}. */
    static LoopbackGuard forBindAddress(String bindHost) {
        try {
            InetAddress address = InetAddress.getByName(bindHost);
            if (!address.isLoopbackAddress()) {
                return new LoopbackGuard(null);
            }
        } catch (UnknownHostException e) {
            return new LoopbackGuard(null); // the bind itself will fail and say so
        }
        String own = bindHost.toLowerCase(Locale.ROOT);
        return new LoopbackGuard(Set.copyOf(java.util.List.of(own, "localhost", "127.0.0.1", "[::1]", "::1")));
    }

    boolean active() {
        return names != null;
    }

    /**
     * @param host   the request's Host header (null when absent)
     * @param origin the request's Origin header (null when absent: not sent by a browser across origins)
     * @throws ApiException 403 when either names another machine
     */
    void check(String host, String origin) {
        if (names == null) {
            return;
        }
        if (host == null || !names.contains(withoutPort(host.toLowerCase(Locale.ROOT)))) {
            throw new ApiException(403, ApiException.INVALID_REQUEST, null, "forbidden_host", "This server is bound"
                    + " to the loopback interface and answers requests addressed to localhost only (Host: "
                    + (host == null ? "none" : host) + ").");
        }
        if (origin != null && !loopbackOrigin(origin)) {
            throw new ApiException(403, ApiException.INVALID_REQUEST, null, "forbidden_origin", "Requests from web pages"
                    + " of other origins are refused (Origin: " + origin + "); bind to another interface with --host"
                    + " and set --api-key to serve them.");
        }
    }

    private boolean loopbackOrigin(String origin) {
        try {
            String host = new URI(origin).getHost();
            return host != null && names.contains(host.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false; // "null" (a file or a sandboxed frame) or garbage
        }
    }

    /** "localhost:8000" -> "localhost"; "[::1]:8000" -> "[::1]". */
    private static String withoutPort(String host) {
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon && (host.startsWith("[") || host.indexOf(':') == colon)) {
            return host.substring(0, colon);
        }
        return host;
    }
}
