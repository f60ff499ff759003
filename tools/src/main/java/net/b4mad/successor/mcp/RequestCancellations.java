package net.b4mad.successor.mcp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cancellation tokens of in-flight requests, keyed by session and JSON-RPC id. The MCP SDK (2.1.0) does not
 * route {@code notifications/cancelled} to anything, so the transport layer records cancellations here and
 * tags each {@code tools/call} with its key in {@code _meta}; the tool adapter looks the token up by that key.
 */
public final class RequestCancellations {

  /** The {@code _meta} entry that the transport adds to every {@code tools/call}. */
  public static final String META_KEY = "net.b4mad.successor/request-key";

  /** Bounds the map when cancellations arrive for requests that already finished. */
  private static final int MAX_ENTRIES = 4096;

  private final Map<String, CancellationToken> tokens =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CancellationToken> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  public static String key(String session, String requestIdJson) {
    return session + " " + requestIdJson;
  }

  /** The token for a request; a cancellation that arrived first is already set in it. */
  public synchronized CancellationToken token(String key) {
    return tokens.computeIfAbsent(key, k -> new CancellationToken());
  }

  public synchronized void cancel(String key) {
    token(key).cancel();
  }

  /** Forgets a finished request. */
  public synchronized void release(String key) {
    tokens.remove(key);
  }
}
