package io.custos.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The agent's version, as sent in reports ({@code custos-agent/0.1.0}) and printed by CLI. */
public final class AgentVersion {
  private static final String FALLBACK = "0.1.0";

  private AgentVersion() {}

  /**
   * The jar manifest's {@code Implementation-Version}, else the version Maven wrote into {@code
   * version.properties} at build time, else {@value #FALLBACK}.
   */
  public static String get() {
    String v = AgentVersion.class.getPackage().getImplementationVersion();
    if (v != null && !v.isBlank()) {
      return v;
    }
    try (InputStream in = AgentVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String fromBuild = p.getProperty("version", "");
        if (!fromBuild.isBlank() && !fromBuild.startsWith("${")) {
          return fromBuild;
        }
      }
    } catch (IOException e) {
      // fall back below
    }
    return FALLBACK;
  }

  /** The {@code agent} field of reports, {@code custos-agent/<version>}. */
  public static String userAgent() {
    return "custos-agent/" + get();
  }
}
