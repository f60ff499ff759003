package net.b4mad.successor.transport;

import static io.modelcontextprotocol.spec.McpSchema.ErrorCodes.INVALID_REQUEST;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs before the SDK's servlet: refuses requests the {@link HttpAccessPolicy} does not allow, then passes
 * POSTed messages through the same {@link InboundMessageGuard} as stdio, so cancellation and malformed-message
 * handling are the same on both transports.
 */
public final class HttpGuardFilter implements Filter {

  private static final Logger LOG = LoggerFactory.getLogger(HttpGuardFilter.class);
  private static final int MAX_BODY_BYTES = 16 << 20;

  private final HttpAccessPolicy policy;
  private final InboundMessageGuard guard;

  public HttpGuardFilter(HttpAccessPolicy policy, InboundMessageGuard guard) {
    this.policy = policy;
    this.guard = guard;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    Optional<HttpAccessPolicy.Denial> denial =
        policy.check(request.getHeader("Host"), request.getHeader("Origin"), request.getHeader("Authorization"));
    if (denial.isPresent()) {
      LOG.warn("refused {} {} from {}: {}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(),
          denial.get().reason());
      if (denial.get().status() == 401) {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"successor\"");
      }
      respond(response, denial.get().status(),
          InboundMessageGuard.error(null, INVALID_REQUEST, denial.get().reason()));
      return;
    }
    if (!"POST".equals(request.getMethod())) {
      chain.doFilter(request, response);
      return;
    }
    byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      respond(response, 413, InboundMessageGuard.error(null, INVALID_REQUEST,
          "message larger than " + MAX_BODY_BYTES + " bytes"));
      return;
    }
    String session = request.getHeader("Mcp-Session-Id");
    InboundMessageGuard.Verdict verdict =
        guard.inspect(session == null ? "http" : session, new String(body, StandardCharsets.UTF_8));
    if (verdict instanceof InboundMessageGuard.Reply reply) {
      respond(response, 400, reply.message());
    } else if (verdict instanceof InboundMessageGuard.Consumed) {
      response.setStatus(202);
    } else if (verdict instanceof InboundMessageGuard.Forward forward) {
      chain.doFilter(new BodyRequest(request, forward.message().getBytes(StandardCharsets.UTF_8)), response);
    }
  }

  private static void respond(HttpServletResponse response, int status, String json) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(json);
  }

  /** The request with its body replaced by the (possibly re-tagged) message. */
  private static final class BodyRequest extends HttpServletRequestWrapper {

    private final byte[] body;

    BodyRequest(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          try {
            listener.onDataAvailable();
            listener.onAllDataRead();
          } catch (IOException e) {
            listener.onError(e);
          }
        }

        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
          return in.read(buffer, offset, length);
        }
      };
    }
  }
}
