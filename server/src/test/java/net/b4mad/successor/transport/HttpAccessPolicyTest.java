package net.b4mad.successor.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HttpAccessPolicyTest {

  private final HttpAccessPolicy loopback = HttpAccessPolicy.forBinding("127.0.0.1", null, List.of());

  @Test
  void loopbackClientsWithoutOriginAreAllowed() {
    assertTrue(loopback.check("127.0.0.1:8080", null, null).isEmpty());
    assertTrue(loopback.check("localhost:8080", null, null).isEmpty());
    assertTrue(loopback.check("[::1]:8080", null, null).isEmpty());
  }

  @Test
  void loopbackOriginsAreAllowed() {
    assertTrue(loopback.check("localhost:8080", "http://localhost:6274", null).isEmpty());
    assertTrue(loopback.check("localhost:8080", "http://127.0.0.1:6274", null).isEmpty());
  }

  @Test
  void foreignOriginsAreRefused() {
    var denial = loopback.check("localhost:8080", "https://evil.example", null);
    assertEquals(403, denial.orElseThrow().status());
    assertTrue(denial.get().reason().contains("--allow-origin"));
    assertEquals(403, loopback.check("localhost:8080", "null", null).orElseThrow().status());
    assertEquals(403, loopback.check("localhost:8080", "http://localhost.evil.example", null).orElseThrow().status());
  }

  @Test
  void rebindingHostNamesAreRefused() {
    assertEquals(403, loopback.check("evil.example:8080", null, null).orElseThrow().status());
    assertEquals(403, loopback.check(null, null, null).orElseThrow().status());
  }

  @Test
  void configuredOriginsAreAllowed() {
    HttpAccessPolicy policy = HttpAccessPolicy.forBinding("127.0.0.1", null, List.of("https://inspector.example"));
    assertTrue(policy.check("127.0.0.1", "https://inspector.example", null).isEmpty());
  }

  @Test
  void tokenIsRequiredOnEveryRequestWhenSet() {
    HttpAccessPolicy policy = HttpAccessPolicy.forBinding("0.0.0.0", "s3cret", List.of());
    assertEquals(401, policy.check("10.0.0.5:8080", null, null).orElseThrow().status());
    assertEquals(401, policy.check("10.0.0.5:8080", null, "Bearer wrong").orElseThrow().status());
    assertEquals(401, policy.check("10.0.0.5:8080", null, "Basic czNjcmV0").orElseThrow().status());
    assertTrue(policy.check("10.0.0.5:8080", null, "Bearer s3cret").isEmpty());
    assertTrue(policy.check("any.name", null, "bearer s3cret").isEmpty());
  }

  @Test
  void hostNamesDropThePort() {
    assertEquals("example.com", HttpAccessPolicy.hostName("Example.com:8080"));
    assertEquals("[::1]", HttpAccessPolicy.hostName("[::1]:8080"));
    assertEquals("localhost", HttpAccessPolicy.hostName("localhost"));
  }
}
