package io.custos.collector.store.jdbc;

import io.custos.collector.store.HostRemoval;
import io.custos.collector.store.Role;
import io.custos.collector.store.TokenRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What operators do to a store, in SQL that SQLite and PostgreSQL both speak: list and revoke
 * tokens, record a token's last use, remove a host. Every method runs on the caller's connection
 * inside the caller's write transaction; SQL errors reach the caller as thrown.
 */
final class JdbcOperations {
  private static final Pattern HEX_PREFIX = Pattern.compile("[0-9a-f]{8,64}");
  private static final String SELECT_TOKENS =
      "SELECT hash, role, node, created, last_used FROM tokens";

  private JdbcOperations() {}

  /** Every token, oldest first. */
  public static List<TokenRecord> tokens(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT_TOKENS + " ORDER BY created, hash");
        ResultSet rs = ps.executeQuery()) {
      return tokens(rs);
    }
  }

  private static List<TokenRecord> tokens(ResultSet rs) throws SQLException {
    List<TokenRecord> out = new ArrayList<>();
    while (rs.next()) {
      out.add(
          new TokenRecord(
              TokenRecord.idOf(rs.getString(1)),
              Role.parse(rs.getString(2)),
              rs.getString(3),
              rs.getLong(4),
              rs.getLong(5)));
    }
    return out;
  }

  /** Sets the token's last use to {@code when} unless it is already later. */
  public static void touchToken(Connection c, String sha256Hex, long when) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE tokens SET last_used = ? WHERE hash = ? AND (last_used IS NULL OR last_used"
                + " < ?)")) {
      ps.setLong(1, when);
      ps.setString(2, sha256Hex);
      ps.setLong(3, when);
      ps.executeUpdate();
    }
  }

  /** See {@link io.custos.collector.store.Store#revokeToken}. */
  public static List<TokenRecord> revokeToken(Connection c, String idPrefix) throws SQLException {
    String prefix = idPrefix == null ? "" : idPrefix.strip().toLowerCase(Locale.ROOT);
    if (!HEX_PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "token id must be 8 to 64 hex digits as `token list` shows them, got \""
              + idPrefix
              + "\"");
    }
    List<String> hashes = new ArrayList<>();
    List<TokenRecord> matched;
    try (PreparedStatement ps =
        c.prepareStatement(SELECT_TOKENS + " WHERE hash LIKE ? ORDER BY created, hash")) {
      ps.setString(1, prefix + "%");
      try (ResultSet rs = ps.executeQuery()) {
        matched = new ArrayList<>();
        while (rs.next()) {
          hashes.add(rs.getString(1));
          matched.add(
              new TokenRecord(
                  TokenRecord.idOf(rs.getString(1)),
                  Role.parse(rs.getString(2)),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getLong(5)));
        }
      }
    }
    if (matched.size() > 1) {
      throw new IllegalArgumentException(
          "token id \"" + idPrefix + "\" matches " + matched.size() + " tokens; give more digits");
    }
    for (String hash : hashes) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE hash = ?")) {
        ps.setString(1, hash);
        ps.executeUpdate();
      }
    }
    return matched;
  }

  /**
   * See {@link io.custos.collector.store.Store#removeHost}; the caller holds the host's lock where
   * the dialect has one.
   */
  public static Optional<HostRemoval> removeHost(Connection c, String host, boolean history)
      throws SQLException {
    if (delete(c, "DELETE FROM hosts WHERE name = ?", host) == 0) {
      return Optional.empty();
    }
    int services = delete(c, "DELETE FROM service_state WHERE host = ?", host);
    int alerts = delete(c, "DELETE FROM alert_state WHERE host = ?", host);
    delete(c, "DELETE FROM acks WHERE host = ?", host);
    delete(c, "DELETE FROM downtimes WHERE host = ?", host);
    delete(
        c,
        history
            ? "DELETE FROM outbox WHERE host = ?"
            : "DELETE FROM outbox WHERE host = ? AND state = 'pending'",
        host);
    int tokens = delete(c, "DELETE FROM tokens WHERE node = ?", host);
    int series = 0;
    int events = 0;
    int reports = 0;
    if (history) {
      delete(
          c, "DELETE FROM chunks WHERE series_id IN (SELECT id FROM series WHERE host = ?)", host);
      series = delete(c, "DELETE FROM series WHERE host = ?", host);
      delete(c, "DELETE FROM metric_head WHERE host = ?", host);
      events = delete(c, "DELETE FROM events WHERE host = ?", host);
      reports = delete(c, "DELETE FROM reports WHERE node = ?", host);
    }
    return Optional.of(
        new HostRemoval(host, Math.max(services, alerts), tokens, series, events, reports));
  }

  private static int delete(Connection c, String sql, String host) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, host);
      return ps.executeUpdate();
    }
  }
}
