package io.custos.agent.check.remote;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckKind;
import io.custos.agent.check.Levels;
import java.net.URI;
import java.time.Duration;

/**
 * Configuration of the {@code http} check (also {@code https}): a web page answers as expected,
 * fast enough, with a certificate that is not about to expire.
 *
 * <pre>{@code
 * - { type: http, name: URL Status, url: "https://www.example.net/", status: 200,
 *     warning: 500ms, critical: 2s, contains: Welcome }
 * - { type: http, url: "http://127.0.0.1:8080/health", regex: "\"status\":\\s*\"UP\"", follow_redirects: true }
 * - { type: https, url: "https://intranet.local/", verify_tls: false, certificate_warning: 30d, certificate_critical: 7d }
 * }</pre>
 *
 * @param url the page, http or https
 * @param status the expected status code; any other is CRITICAL; default: 2xx and 3xx are OK, 4xx
 *     WARNING, 5xx CRITICAL
 * @param contains a text the body must contain, else CRITICAL
 * @param regex a regular expression that must be found in the body, else CRITICAL
 * @param followRedirects follow up to 5 redirects (same or upgraded scheme); default false, so a
 *     redirect itself is the answer
 * @param verifyTls check the certificate chain and host name; default true. When false the
 *     certificate is still read for its expiry.
 * @param certificateWarning for https: a certificate expiring within this is WARNING; default 30d
 * @param certificateCritical the same for CRITICAL; default 7d
 * @param warning a response time at or above which the check is WARNING; default none
 * @param critical the same for CRITICAL; default none
 */
public record HttpConfig(
    URI url,
    Integer status,
    String contains,
    String regex,
    @JsonProperty("follow_redirects") Boolean followRedirects,
    @JsonProperty("verify_tls") Boolean verifyTls,
    @JsonProperty("certificate_warning") Duration certificateWarning,
    @JsonProperty("certificate_critical") Duration certificateCritical,
    Duration warning,
    Duration critical)
    implements CheckKind {

  public HttpConfig {
    if (url == null
        || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
        || url.getHost() == null) {
      throw new IllegalArgumentException(
          "url: expected http://host/... or https://host/..., got \"" + url + "\"");
    }
    if (status != null && (status < 100 || status > 599)) {
      throw new IllegalArgumentException("status: expected 100-599, got " + status);
    }
    if (regex != null) {
      try {
        java.util.regex.Pattern.compile(regex);
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "regex: not a regular expression \"" + regex + "\": " + e.getDescription());
      }
    }
    followRedirects = followRedirects == null ? Boolean.FALSE : followRedirects;
    verifyTls = verifyTls == null ? Boolean.TRUE : verifyTls;
    certificateWarning = certificateWarning == null ? Duration.ofDays(30) : certificateWarning;
    certificateCritical = certificateCritical == null ? Duration.ofDays(7) : certificateCritical;
    if (certificateCritical.compareTo(certificateWarning) > 0) {
      throw new IllegalArgumentException(
          "certificate_critical must not be above certificate_warning");
    }
    Levels.requireBelow(warning, critical);
  }

  @Override
  public String type() {
    return "http";
  }
}
