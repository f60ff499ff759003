package net.b4mad.successor.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may talk to the HTTP endpoint. A browser page on another site must not drive a local server (DNS
 * rebinding, cross-site requests): the Host header must name this server, and an Origin header, when a browser
 * sends one, must be a loopback origin or one the user allowed. Off loopback, every request also needs the
 * bearer token.
 *
 * @param allowedHosts host names (without port) the Host header may carry; empty means any
 * @param allowedOrigins extra origins allowed besides loopback ones, exactly as browsers send them
 * @param token the bearer token every request must carry, or null for none
 */
public record HttpAccessPolicy(Set<String> allowedHosts, Set<String> allowedOrigins, String token) {

  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  /** Why a request was refused. */
  public record Denial(int status, String reason) {}

  public HttpAccessPolicy {
    allowedHosts = Set.copyOf(allowedHosts);
    allowedOrigins = Set.copyOf(allowedOrigins);
  }

  /**
   * The policy for a server bound to {@code bindHost}. On a wildcard address the Host header can be any name
   * the machine has, so only the token protects it there.
   */
  public static HttpAccessPolicy forBinding(String bindHost, String token, List<String> extraOrigins) {
    Set<String> hosts = new HashSet<>();
    if (!isWildcard(bindHost)) {
      hosts.addAll(LOOPBACK_NAMES);
      hosts.add(bindHost.toLowerCase(Locale.ROOT));
    }
    return new HttpAccessPolicy(hosts, new HashSet<>(extraOrigins), token);
  }

  public static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  public Optional<Denial> check(String host, String origin, String authorization) {
    if (!allowedHosts.isEmpty() && (host == null || !allowedHosts.contains(hostName(host)))) {
      return Optional.of(new Denial(403, "Host header '" + host + "' is not a name of this server"));
    }
    if (origin != null && !originAllowed(origin)) {
      return Optional.of(
          new Denial(
              403,
              "Origin '" + origin + "' may not use this server; start it with --allow-origin " + origin
                  + " to allow it"));
    }
    if (token != null && !tokenMatches(authorization)) {
      return Optional.of(new Denial(401, "missing or wrong bearer token (Authorization: Bearer <token>)"));
    }
    return Optional.empty();
  }

  private boolean originAllowed(String origin) {
    if (allowedOrigins.contains(origin)) {
      return true;
    }
    try {
      URI uri = new URI(origin);
      String scheme = uri.getScheme();
      String host = uri.getHost();
      return ("http".equals(scheme) || "https".equals(scheme))
          && host != null
          && LOOPBACK_NAMES.contains(host.toLowerCase(Locale.ROOT));
    } catch (URISyntaxException e) {
      return false; // includes the opaque origin "null" of sandboxed pages and file:// documents
    }
  }

  private boolean tokenMatches(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
  }

  /** "example.com:8080" -> "example.com", "[::1]:8080" -> "[::1]". */
  static String hostName(String hostHeader) {
    String host = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.indexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }
}
